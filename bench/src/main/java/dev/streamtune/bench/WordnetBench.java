package dev.streamtune.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.streamtune.contract.Deployments;
import dev.streamtune.contract.LocalSigningKeys;
import dev.streamtune.contract.RecordSigner;
import dev.streamtune.contract.SignerRole;
import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.KafkaClients;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TopicProvisioner;
import dev.streamtune.launcher.ServiceProcess;
import dev.streamtune.launcher.Streamtune;
import dev.streamtune.localkafka.LocalKafkaBroker;
import dev.streamtune.model.AdapterArtifact;
import dev.streamtune.model.BaseModel;
import dev.streamtune.model.BuiltInModels;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.LabelledExample;
import dev.streamtune.schema.Split;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.schema.TrainingWindow;
import dev.streamtune.schema.WindowCloseReason;
import dev.streamtune.trainer.TrainerService;
import dev.streamtune.trainer.TrainerSettings;
import dev.streamtune.trainer.ewc.FisherDiagonal;
import dev.streamtune.trainer.replay.ReplayBuffer;
import dev.streamtune.trainer.training.ContinualLearner;
import dev.streamtune.trainer.training.TrainingPlan;
import dev.streamtune.trainer.training.ValidationScore;
import io.micronaut.context.ApplicationContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Continual learning on real text through the whole pipeline. WordNet noun definitions are labelled with their
 * lexicographer category (animal, plant, artifact, ...); each window introduces two new categories
 * (class-incremental: one task, one 10-way head, earlier categories never come back). For each method a fresh
 * broker, the ingest service (its own JVM) and the trainer service (its Micronaut context, in this JVM) run; the
 * bench sends raw {@code LabelledExample}s to examples.labelled, ingest cleans, de-duplicates, splits 70/15/15 and
 * closes a window every N examples, the trainer trains one candidate per window from the deployed adapter, and the
 * bench deploys every candidate (the evaluator's gate is left out on purpose, see {@link Pipeline#deploy}) and
 * scores it on the test split of every window seen so far.
 *
 * <p>Ingest runs as deployed, in its own JVM, which keeps its application.yml and beans off this classpath; the
 * trainer runs here through its Micronaut context, bound from its own application.yml (the only one on this
 * classpath), so the joint run can reuse exactly the settings it trained with.
 *
 * <p>Methods: naive fine-tuning (replay and EWC off), replay + EWC (the trainer's defaults from its
 * application.yml), replay + EWC with labels arriving over time ({@code replay+ewc-growing}: the task is defined
 * with the first window's categories and each window's new ones are appended to its definition when the window
 * arrives, so the trainer grows the head; the others declare every label up front), and joint training (the upper bound: after window k, a fresh adapter trained on the training
 * examples of windows 1..k at once, with the trainer's own learner, on the windows as ingest wrote them).
 *
 * <p>Run with {@code bench/run.sh wordnet} ({@code --quick} for a one-minute check; {@code --windows N},
 * {@code --per-category N}, {@code --epochs N}, {@code --methods naive,replay+ewc,replay+ewc-growing,joint}). Fetches Debian's
 * wordnet-base package into {@code ~/.cache/streamtune} on first use; writes its tables to
 * {@code bench/target/wordnet-results.md}.
 */
public final class WordnetBench {

    static final String TASK = "wordnet";
    /** Ten noun categories with at least 2,000 synsets each, two new ones per window. */
    static final List<List<String>> SCHEDULE = List.of(
            List.of("animal", "plant"), List.of("artifact", "person"), List.of("food", "location"),
            List.of("body", "substance"), List.of("communication", "act"));
    /** Ingest's text bounds for the task; the dataset keeps only texts inside them, so ingest refuses none. */
    static final int MIN_CHARS = 20;
    static final int MAX_CHARS = 400;
    /** Windows close by count; this age only closes one that somehow came up short, and is reported if it does. */
    static final Duration WINDOW_MAX_AGE = Duration.ofMinutes(2);
    static final Duration WINDOW_TIMEOUT = Duration.ofMinutes(5);
    static final Duration CANDIDATE_TIMEOUT = Duration.ofMinutes(30);

    private WordnetBench() {
    }

    record Options(int windows, int perCategory, Integer epochs, List<String> methods, long seed) {

        static Options parse(String[] args) {
            int windows = SCHEDULE.size();
            int perCategory = 300;
            Integer epochs = null;
            List<String> methods = List.of("naive", "replay+ewc", "joint");
            long seed = 7;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> {
                        windows = 2;
                        perCategory = 60;
                        epochs = 1;
                    }
                    case "--windows" -> windows = Integer.parseInt(args[++i]);
                    case "--per-category" -> perCategory = Integer.parseInt(args[++i]);
                    case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                    case "--methods" -> methods = List.of(args[++i].split(","));
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "; see WordnetBench");
                }
            }
            if (windows < 1 || windows > SCHEDULE.size()) {
                throw new IllegalArgumentException("--windows must be 1.." + SCHEDULE.size());
            }
            if (!List.of("naive", "replay+ewc", "replay+ewc-growing", "joint").containsAll(methods)
                    || methods.indexOf("joint") == 0) {
                throw new IllegalArgumentException("--methods takes naive, replay+ewc, replay+ewc-growing and joint;"
                        + " joint comes after a trainer method, whose settings it uses");
            }
            return new Options(windows, perCategory, epochs, methods, seed);
        }
    }

    /** What one window cost a method. closedToCandidate is NaN for joint, which has no service in the loop. */
    record WindowCost(double trainSeconds, double closedToCandidateSeconds, double examplesPerSecond) {
    }

    /**
     * @param windows the windows as this method's ingest wrote them
     * @param notes   anything that makes a number less than it seems (a window closed by age, a round that did not
     *                start from the deployed adapter)
     */
    record MethodResult(String method, AccuracyMatrix accuracy, List<WindowCost> costs, List<IngestedWindow> windows,
                        List<String> notes) {

        double mean(ToDoubleFunction<WindowCost> f) {
            return costs.stream().mapToDouble(f).average().orElse(Double.NaN);
        }

        double max(ToDoubleFunction<WindowCost> f) {
            return costs.stream().mapToDouble(f).max().orElse(Double.NaN);
        }
    }

    /** The windows as ingest wrote them: manifest and examples per split. */
    record IngestedWindow(TrainingWindow manifest, List<CleanExample> train, List<CleanExample> validation,
                          List<CleanExample> test) {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        long started = System.nanoTime();
        double loadBefore = loadAverage();
        Path repo = Path.of(System.getProperty("bench.repo", "")).toAbsolutePath();
        Path runs = repo.resolve("bench/target/wordnet-runs");
        deleteRecursively(runs);

        Path cache = Path.of(System.getProperty("bench.wordnet.cache", WordnetPackage.defaultCache().toString()));
        Path database = WordnetPackage.install(cache);
        WordnetDataset dataset = WordnetDataset.read(database.resolve("data.noun"), MIN_CHARS, MAX_CHARS);
        List<List<String>> schedule = SCHEDULE.subList(0, options.windows());
        List<WordnetDataset.Window> windows = dataset.windows(schedule, options.perCategory(), options.seed());
        List<String> labels = schedule.stream().flatMap(List::stream).toList();
        Map<String, Integer> sizes = dataset.sizes();
        log("WordNet 3.0 from %s; usable synsets: %s", database, labels.stream()
                .map(c -> c + " " + sizes.get(c)).toList());
        log("%d windows of %d examples (%d per category), labels %s, seed %d; load average %.2f on %d cores",
                windows.size(), 2 * options.perCategory(), options.perCategory(), labels, options.seed(), loadBefore,
                Runtime.getRuntime().availableProcessors());

        List<MethodResult> results = new ArrayList<>();
        TrainerSettings trainerSettings = null;
        Path file = repo.resolve("bench/target/wordnet-results.md");
        try (BaseModel base = BuiltInModels.miniLm()) {
            for (String method : options.methods()) {
                Path home = runs.resolve(method.replace('+', '-'));
                if (method.equals("joint")) {
                    results.add(joint(base, trainerSettings, windows, labels, repo, home));
                } else {
                    StreamingRun run = streaming(method, method.startsWith("replay+ewc"),
                            method.equals("replay+ewc-growing"), base, windows, labels, options,
                            repo, home);
                    results.add(run.result());
                    trainerSettings = run.settings();
                }
                if (!sameContents(results.get(0).windows(), results.get(results.size() - 1).windows())) {
                    results.get(results.size() - 1).notes().add("ingest's windows differ from "
                            + results.get(0).method() + "'s (same input, so they should not)");
                }
                // After each method, so that a later failure keeps what was measured.
                Files.writeString(file, report(results, windows, trainerSettings, options, loadBefore,
                        loadAverage(), (System.nanoTime() - started) / 1e9), StandardCharsets.UTF_8);
            }
        }
        System.out.println();
        System.out.println(Files.readString(file, StandardCharsets.UTF_8));
        log("Results written to %s", file);
    }

    record StreamingRun(MethodResult result, TrainerSettings settings) {
    }

    /** One method through broker, ingest and trainer; this bench plays producer, deployer and judge. */
    /**
     * @param labelsOverTime declare only the first window's categories, and append each window's new ones to the
     *                       task's definition just before the window is sent (class-incremental with labels arriving
     *                       over time; the trainer grows the approved adapter's head); else all labels up front
     */
    static StreamingRun streaming(String method, boolean replayAndEwc, boolean labelsOverTime, BaseModel base,
                                  List<WordnetDataset.Window> windows, List<String> labels, Options options,
                                  Path repo, Path home) throws Exception {
        log("== %s: starting broker, ingest and trainer", method);
        Map<String, Object> trainerProperties = new LinkedHashMap<>();
        trainerProperties.put("micronaut.server.port", -1);
        trainerProperties.put("trainer.home", home.resolve("trainer-home").toString());
        trainerProperties.putAll(Pipeline.keys(home).properties(SignerRole.TRAINER));
        // A seed is a whole run: the data's sampling and order, and the trainer's initialisation, dropout and replay.
        trainerProperties.put("trainer.hyperparameters.seed", options.seed());
        if (!replayAndEwc) {
            trainerProperties.put("trainer.replay.enabled", false);
            trainerProperties.put("trainer.ewc.enabled", false);
        }
        if (options.epochs() != null) {
            trainerProperties.put("trainer.hyperparameters.epochs", options.epochs());
        }
        AccuracyMatrix accuracy = new AccuracyMatrix(windows.size());
        List<WindowCost> costs = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<IngestedWindow> ingested = new ArrayList<>();
        try (Pipeline pipeline = Pipeline.start(repo, home, windows, labels)) {
            TaskDefinition definition = pipeline.defineTask(labelsOverTime ? windows.get(0).categories() : labels);
            trainerProperties.put("kafka.bootstrap-servers", pipeline.bootstrap());
            try (ApplicationContext trainer = ApplicationContext.run(trainerProperties)) {
                TrainerSettings settings = trainer.getBean(TrainerSettings.class);
                TrainerService service = trainer.getBean(TrainerService.class);
                BooleanSupplier alive = () -> pipeline.ingest().isAlive() && service.alive();
                log("%s: replay %s (capacity %d, ratio %.2f), EWC %s (lambda %.1f, decay %.2f); %s", method,
                        settings.replay().enabled() ? "on" : "off", settings.replay().capacity(),
                        settings.replay().ratio(), settings.ewc().enabled() ? "on" : "off", settings.ewc().lambda(),
                        settings.ewc().decay(), describe(settings.hyperparameters()));
                String deployed = null;
                for (int k = 0; k < windows.size(); k++) {
                    long windowStarted = System.nanoTime();
                    if (labelsOverTime && k > 0) {
                        definition = pipeline.appendLabels(definition, windows.get(k).categories());
                    }
                    IngestedWindow window = pipeline.send(windows.get(k), alive);
                    ingested.add(window);
                    TrainingWindow manifest = window.manifest();
                    if (manifest.getCloseReason() != WindowCloseReason.COUNT) {
                        notes.add(manifest.getWindowId() + " closed by " + manifest.getCloseReason());
                    }
                    log("%s: window %d of %d (%s) closed: %d train, %d validation, %d test; training", method, k + 1,
                            windows.size(), String.join(", ", windows.get(k).categories()), window.train().size(),
                            window.validation().size(), window.test().size());
                    AdapterCandidate candidate = pipeline.tap().awaitCandidate(manifest.getWindowId(),
                            CANDIDATE_TIMEOUT, alive);
                    if (!Objects.equals(candidate.getParentAdapterId(), deployed)) {
                        notes.add(candidate.getCandidateId() + " started from " + candidate.getParentAdapterId()
                                + ", not from the deployed " + deployed);
                    }
                    pipeline.deploy(candidate, deployed);
                    deployed = candidate.getCandidateId();
                    WindowCost cost = new WindowCost(candidate.getValidationMetrics().get("train.seconds"),
                            Duration.between(manifest.getClosedAt(), candidate.getCreatedAt()).toMillis() / 1e3,
                            candidate.getValidationMetrics().getOrDefault("examples.per.second", Double.NaN));
                    costs.add(cost);
                    Path adapter = AdapterArtifact.of(candidate.getArtifactUri(), candidate.getArtifactSha256())
                            .verifiedPath(AdapterArtifact.storeUnder(Path.of(settings.home())));
                    try (TextClassifier classifier = TextClassifier.load(base, adapter)) {
                        score(classifier, ingested, k, accuracy);
                    }
                    log("%s: window %d of %d done in %.1f s (training %.1f s, closed -> candidate %.1f s); test "
                                    + "accuracy by window %s", method, k + 1, windows.size(),
                            (System.nanoTime() - windowStarted) / 1e9, cost.trainSeconds(),
                            cost.closedToCandidateSeconds(), row(accuracy, k));
                }
                return new StreamingRun(new MethodResult(method, accuracy, costs, ingested, notes), settings);
            }
        }
    }

    /**
     * The upper bound: after window k, a fresh adapter trained on the training examples of windows 1..k together
     * (validated on their validation examples), with the trainer's own learner and hyperparameters, replay and EWC
     * off, and the step cap scaled by k so the epochs are the same. The data goes through its own broker and ingest
     * first, so it is exactly what ingest made of the stream.
     */
    static MethodResult joint(BaseModel base, TrainerSettings trainer, List<WordnetDataset.Window> windows,
                              List<String> labels, Path repo, Path home) throws Exception {
        log("== joint: starting broker and ingest");
        List<IngestedWindow> ingested = new ArrayList<>();
        try (Pipeline pipeline = Pipeline.start(repo, home, windows, labels)) {
            pipeline.defineTask(labels);
            for (WordnetDataset.Window window : windows) {
                ingested.add(pipeline.send(window, pipeline.ingest()::isAlive));
            }
        }
        TrainerSettings settings = new TrainerSettings(trainer.groupId(), trainer.home(),
                trainer.windowsPerCandidate(), trainer.checkpointEverySteps(), trainer.hyperparameters(),
                new TrainerSettings.Replay(false, trainer.replay().capacity(), trainer.replay().ratio()),
                new TrainerSettings.Ewc(false, trainer.ewc().lambda(), trainer.ewc().decay(),
                        trainer.ewc().fisherSamples()),
                trainer.search());
        TrainerSettings.Hyperparameters hp = settings.hyperparameters();
        AccuracyMatrix accuracy = new AccuracyMatrix(windows.size());
        List<WindowCost> costs = new ArrayList<>();
        for (int k = 0; k < windows.size(); k++) {
            List<CleanExample> train = new ArrayList<>();
            List<CleanExample> validation = new ArrayList<>();
            for (int i = 0; i <= k; i++) {
                train.addAll(ingested.get(i).train());
                validation.addAll(ingested.get(i).validation());
            }
            TrainerSettings.Hyperparameters jointHp = hp.searched(hp.learningRate(), hp.weightDecay(),
                    hp.maxSteps() * (k + 1));
            ContinualLearner learner = new ContinualLearner(base, settings, new ReplayBuffer(1, hp.seed()),
                    FisherDiagonal.empty());
            log("joint: window %d of %d: training a fresh adapter on %d examples of windows 1..%d", k + 1,
                    windows.size(), train.size(), k + 1);
            long started = System.nanoTime();
            try (TextClassifier classifier = learner.startingPoint(null, labels, jointHp).classifier()) {
                ContinualLearner.Round round = learner.learn(classifier, train, validation, jointHp, 0, null,
                        (step, batches, session) -> { }, "joint 1.." + (k + 1));
                double seconds = (System.nanoTime() - started) / 1e9;
                costs.add(new WindowCost(seconds, Double.NaN, round.result().examplesPerSecond()));
                score(classifier, ingested, k, accuracy);
                log("joint: window %d of %d done (training %.1f s); test accuracy by window %s", k + 1,
                        windows.size(), seconds, row(accuracy, k));
            }
        }
        return new MethodResult("joint", accuracy, costs, ingested, new ArrayList<>());
    }

    /** Whether two runs' ingest made the same windows: the same contents in the same splits. */
    static boolean sameContents(List<IngestedWindow> a, List<IngestedWindow> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int k = 0; k < a.size(); k++) {
            if (!contents(a.get(k)).equals(contents(b.get(k)))) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> contents(IngestedWindow window) {
        return Stream.of(window.train(), window.validation(), window.test()).flatMap(List::stream)
                .map(e -> e.getSplit() + " " + e.getContentHash()).collect(Collectors.toSet());
    }

    /** acc[k][i] for every window i seen so far, on the test split ingest assigned. */
    static void score(TextClassifier classifier, List<IngestedWindow> ingested, int k, AccuracyMatrix accuracy) {
        for (int i = 0; i <= k; i++) {
            accuracy.set(k, i, ValidationScore.of(classifier,
                    ingested.get(i).test().stream().map(TrainingPlan::labeled).toList()).accuracy());
        }
    }

    /**
     * A fresh broker (its own process) with the topic catalogue, the ingest service configured for the task, a
     * producer, and a tap on the outputs. Closed in reverse: nothing outlives the broker.
     */
    record Pipeline(LocalKafkaBroker broker, ServiceProcess ingest, Path ingestLog, KafkaProducer<byte[], byte[]> producer,
                    PipelineTap tap, Thread stopOnExit, RecordSigner deployer, int windowSize) implements AutoCloseable {

        static Pipeline start(Path repo, Path home, List<WordnetDataset.Window> windows, List<String> labels)
                throws IOException {
            LocalKafkaBroker broker = LocalKafkaBroker.start(home.resolve("kafka"), LocalKafkaBroker.freePortPair(),
                    "512m");
            KafkaProducer<byte[], byte[]> producer = null;
            PipelineTap tap = null;
            try {
                new TopicProvisioner(KafkaConnection.plaintext(broker.bootstrapServers())).ensureAll();
                producer = KafkaClients.producer(KafkaConnection.plaintext(broker.bootstrapServers()), "wordnet-bench", 5);
                tap = new PipelineTap(broker.bootstrapServers(), keys(home).trusted());
                tap.awaitLeaders(List.of(Topics.LABELLED_EXAMPLES, Topics.DEPLOYMENTS), Duration.ofSeconds(60));
                // Ingest as deployed: its own JVM from its build output, with its own application.yml.
                Path ingestLog = home.resolve("ingest.log");
                ServiceProcess ingest = ServiceProcess.start(Streamtune.service("ingest"), repo, Map.of(),
                        ingestProperties(broker.bootstrapServers(), home, windows.get(0).examples().size(), labels),
                        ingestLog);
                // Ctrl-C skips close(): stop the child JVMs anyway rather than leave them running.
                Thread stopOnExit = new Thread(() -> {
                    ingest.close();
                    broker.close();
                }, "wordnet-bench-stop");
                Runtime.getRuntime().addShutdownHook(stopOnExit);
                return new Pipeline(broker, ingest, ingestLog, producer, tap, stopOnExit,
                        keys(home).signer(SignerRole.EVALUATOR), windows.get(0).examples().size());
            } catch (IOException | RuntimeException e) {
                if (tap != null) {
                    tap.close();
                }
                if (producer != null) {
                    producer.close();
                }
                broker.close();
                throw e;
            }
        }

        /** The task as ingest should know it, as system properties over ingest's own application.yml. */
        static Map<String, String> ingestProperties(String bootstrap, Path home, int windowSize, List<String> labels) {
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("kafka.bootstrap-servers", bootstrap);
            properties.put("micronaut.server.port", "-1");
            properties.put("ingest.state-dir", home.resolve("ingest-state").toString());
            // The task itself (labels, window, text bounds) comes from the catalogue: defineTask.
            keys(home).properties(null).forEach((key, value) -> properties.put(key, value.toString()));
            return properties;
        }

        String bootstrap() {
            return broker.bootstrapServers();
        }

        /**
         * Sends one window's examples as a data owner would (Avro single-object encoding, keyed by id) and waits
         * until ingest has closed the window and all of its examples can be read back.
         */
        IngestedWindow send(WordnetDataset.Window window, BooleanSupplier alive) throws Exception {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (WordnetDataset.Example example : window.examples()) {
                LabelledExample record = LabelledExample.newBuilder().setId(example.id()).setTask(TASK)
                        .setText(example.text()).setLabel(example.label()).setSource("wordnet-3.0")
                        .setEventTime(Instant.now()).setAttributes(Map.of()).setWeight(null).build();
                sent.add(producer.send(new ProducerRecord<>(Topics.LABELLED_EXAMPLES.name(),
                        example.id().getBytes(StandardCharsets.UTF_8), Topics.LABELLED_EXAMPLES.encode(record))));
            }
            producer.flush();
            for (Future<RecordMetadata> future : sent) {
                future.get(60, TimeUnit.SECONDS); // a failed send fails the run here, not as a window timeout
            }
            TrainingWindow manifest = tap.awaitWindow(window.index(), WINDOW_TIMEOUT,
                    () -> alive.getAsBoolean() || failWithLog());
            String id = manifest.getWindowId();
            return new IngestedWindow(manifest, tap.examples(id, Split.TRAIN), tap.examples(id, Split.VALIDATION),
                    tap.examples(id, Split.TEST));
        }

        /** The bench's key pairs (its trainer's and its own, as deployer), under the run's home. */
        static LocalSigningKeys keys(Path home) {
            return LocalSigningKeys.ensure(home.resolve("keys"));
        }

        private boolean failWithLog() {
            log("a service stopped; ingest's log is %s", ingestLog);
            return false;
        }

        /**
         * Deploys a candidate the way the evaluator does after its gate approves (EvaluatorState.promotion): a
         * Deployment on the compacted deployments topic, which the trainer reads to start its next round from.
         * The gate is bypassed on purpose: every candidate is deployed, so the methods are compared on what they
         * learn, not on which of their candidates a gate would have let through. Signed as the evaluator signs,
         * with the bench's own evaluator key, or the trainer would not start from it.
         */
        void deploy(AdapterCandidate candidate, String previous) throws Exception {
            Deployment deployment = deployer.sign(Deployments.of(candidate,
                    "bench-approves-" + candidate.getCandidateId(), previous, Instant.now()));
            producer.send(new ProducerRecord<>(Topics.DEPLOYMENTS.name(),
                    candidate.getTask().getBytes(StandardCharsets.UTF_8), Topics.DEPLOYMENTS.encode(deployment)))
                    .get();
        }

        /**
         * Defines the task in the task catalogue (where the trainer takes its labels from), as the evaluator's
         * catalogue writer would: version 1, signed with the bench's evaluator key.
         */
        TaskDefinition defineTask(List<String> labels) throws Exception {
            // Every window is sent whole and closes at exactly its size. Definitions hold no personal data, and the
            // phone rule would mask people's life dates, "(1809-1865)".
            return publish(TaskDefinition.newBuilder(TaskCatalogue.newTask(TASK, labels, "wordnet-bench", Instant.now()))
                    .setWindow(new dev.streamtune.schema.WindowPolicy(windowSize, WINDOW_MAX_AGE.toMillis()))
                    .setText(new dev.streamtune.schema.TextPolicy(MIN_CHARS, MAX_CHARS,
                            dev.streamtune.schema.TextOverflow.REJECT, 0))
                    .setPii(List.of()).build());
        }

        /** The next version of the task with {@code labels} appended (those it does not have yet). */
        TaskDefinition appendLabels(TaskDefinition current, List<String> labels) throws Exception {
            List<String> added = labels.stream().filter(l -> !current.getLabels().contains(l)).toList();
            if (added.isEmpty()) {
                return current;
            }
            List<String> grown = new ArrayList<>(current.getLabels());
            grown.addAll(added);
            log("task %s v%d: adding labels %s", TASK, current.getVersion() + 1, added);
            return publish(TaskCatalogue.nextVersion(current, "wordnet-bench", Instant.now(), "added labels " + added)
                    .setLabels(grown).build());
        }

        private TaskDefinition publish(TaskDefinition definition) throws Exception {
            producer.send(new ProducerRecord<>(Topics.TASKS.name(), TASK.getBytes(StandardCharsets.UTF_8),
                    Topics.TASKS.encode(deployer.sign(definition)))).get();
            return definition;
        }

        @Override
        public void close() {
            tap.close();
            producer.close();
            ingest.close();
            broker.close();
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        }
    }

    static String report(List<MethodResult> results, List<WordnetDataset.Window> windows, TrainerSettings settings,
                         Options options,
                         double loadBefore, double loadAfter, double seconds) {
        StringBuilder out = new StringBuilder();
        out.append("# WordNet class-incremental benchmark (bench/run.sh wordnet)\n\n");
        out.append(String.format(Locale.ROOT, "%d windows x %d examples (%d per category, 2 new categories per "
                        + "window), seed %d; split by ingest 70/15/15. Ran %.0f s; load average %.2f at "
                        + "the start, %.2f at the end, %d cores.%n%n", windows.size(), windows.get(0).examples().size(),
                options.perCategory(), options.seed(), seconds, loadBefore, loadAfter,
                Runtime.getRuntime().availableProcessors()));
        if (settings != null) {
            out.append("Trainer: ").append(describe(settings.hyperparameters())).append("; replay+ewc: replay ")
                    .append(String.format(Locale.ROOT, "capacity %d ratio %.2f, EWC lambda %.1f decay %.2f, "
                                    + "%d Fisher samples.%n%n", settings.replay().capacity(), settings.replay().ratio(),
                            settings.ewc().lambda(), settings.ewc().decay(), settings.ewc().fisherSamples()));
        }
        List<IngestedWindow> ingested = results.isEmpty() ? List.of() : results.get(0).windows();
        if (!ingested.isEmpty()) {
            out.append("Windows as ingest wrote them (train / validation / test):");
            for (int k = 0; k < ingested.size(); k++) {
                IngestedWindow w = ingested.get(k);
                out.append(String.format(Locale.ROOT, " %d: %d/%d/%d (%s)", k + 1, w.train().size(),
                        w.validation().size(), w.test().size(), String.join(", ", windows.get(k).categories())));
            }
            out.append("\n\n");
        }
        out.append("| method | average accuracy | forgetting | BWT | train s / window (mean / max) "
                + "| window closed -> candidate s (mean / max) | examples/s |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        for (MethodResult r : results) {
            AccuracyMatrix a = r.accuracy();
            out.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %+.3f | %.1f / %.1f | %s | %.0f |%n",
                    r.method(), a.averageAccuracy(), a.forgetting(), a.backwardTransfer(),
                    r.mean(WindowCost::trainSeconds), r.max(WindowCost::trainSeconds),
                    Double.isNaN(r.mean(WindowCost::closedToCandidateSeconds)) ? "n/a (offline)"
                            : String.format(Locale.ROOT, "%.1f / %.1f", r.mean(WindowCost::closedToCandidateSeconds),
                            r.max(WindowCost::closedToCandidateSeconds)),
                    r.mean(WindowCost::examplesPerSecond)));
        }
        for (MethodResult r : results) {
            out.append("\nAccuracy matrix, ").append(r.method())
                    .append(" (row: after window k; column: test split of window i)\n\n| after \\ test |");
            for (int i = 0; i < windows.size(); i++) {
                out.append(' ').append(i + 1).append(" (").append(String.join(", ", windows.get(i).categories()))
                        .append(") |");
            }
            out.append("\n|---|").append("---|".repeat(windows.size())).append('\n');
            for (int k = 0; k < windows.size(); k++) {
                out.append("| ").append(k + 1).append(" |");
                for (int i = 0; i < windows.size(); i++) {
                    out.append(i <= k ? String.format(Locale.ROOT, " %.3f |", r.accuracy().get(k, i)) : " |");
                }
                out.append('\n');
            }
            r.notes().forEach(note -> out.append("\nNote: ").append(note).append('\n'));
        }
        return out.toString();
    }

    static String describe(TrainerSettings.Hyperparameters hp) {
        return String.format(Locale.ROOT, "lr %.1e (%s, warmup %d), batch %d, epochs %d, max steps %d, LoRA r=%d "
                        + "alpha %.0f, max sequence %d, early stopping patience %d every %d steps, seed %d",
                hp.learningRate(), hp.decay(), hp.warmupSteps(), hp.batchSize(), hp.epochs(), hp.maxSteps(),
                hp.loraRank(), hp.loraAlpha(), hp.maxSequenceLength(), hp.patience(), hp.evaluateEverySteps(),
                hp.seed());
    }

    private static String row(AccuracyMatrix accuracy, int k) {
        double[] values = new double[k + 1];
        for (int i = 0; i <= k; i++) {
            values[i] = accuracy.get(k, i);
        }
        return Arrays.stream(values).mapToObj(v -> String.format(Locale.ROOT, "%.3f", v)).toList().toString();
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "%s [wordnet-bench] %s%n", LocalTime.now().truncatedTo(ChronoUnit.SECONDS),
                String.format(Locale.ROOT, format, args));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
