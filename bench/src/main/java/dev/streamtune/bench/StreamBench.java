package dev.streamtune.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
import dev.streamtune.evaluator.EvaluatorService;
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
import dev.streamtune.trainer.checkpoint.TrainerCheckpoint;
import dev.streamtune.trainer.strategy.ContinualStrategy;
import dev.streamtune.trainer.strategy.JointStrategy;
import dev.streamtune.trainer.strategy.ReplayStrategy;
import dev.streamtune.trainer.strategy.StrategyRegistry;
import dev.streamtune.trainer.training.StageTimes;
import dev.streamtune.trainer.training.TrainingPlan;
import dev.streamtune.trainer.training.ValidationScore;
import io.micronaut.context.ApplicationContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Continual learning on real text through the whole pipeline, for any {@link BenchStream}: class-incremental
 * WordNet ({@code bench/run.sh wordnet}) or domain-incremental SpamAssassin ({@code bench/run.sh spam}). For each
 * seed and each {@link Method} a fresh broker, the ingest service (its own JVM) and the trainer service (its
 * Micronaut context, in this JVM) run; the bench sends raw {@code LabelledExample}s to examples.labelled, ingest
 * cleans, de-duplicates, splits 70/15/15 and closes a window every N examples, the trainer trains one candidate per
 * window from the deployed adapter, and the bench deploys every candidate (the evaluator's gate is left out on
 * purpose, see {@link Pipeline#deploy}) and scores it on the test split of every window seen so far.
 *
 * <p>Ingest runs as deployed, in its own JVM, which keeps its application.yml and beans off this classpath; the
 * trainer runs here through its Micronaut context, bound from its own application.yml (the only one on this
 * classpath) with the method's properties ({@link Method#trainerProperties()}) and the seed over it. Joint training,
 * the reference, is the trainer's {@code joint} strategy: each round on every training example seen so far.
 *
 * <p>Options: {@code --quick} (small windows, one seed), {@code --windows N}, {@code --per-label N} (examples per
 * label per window; {@code --per-category} is the same), {@code --epochs N}, {@code --methods
 * naive,replay,ewc,replay+ewc,replay+ewc-growing,joint}, {@code --seeds 1,2,3} ({@code --seed N} for one),
 * {@code --set trainer.<key>=<value>} (repeatable: any trainer setting for every method, e.g.
 * {@code trainer.hyperparameters.lora-first-layer=4}). The seed
 * picks the examples and their order and is the trainer's seed. Tables go to {@code bench/target/<name>-results.md}:
 * mean and standard deviation over the seeds, then every seed's row and accuracy matrix.
 */
public final class StreamBench {

    /** Windows close by count; this age only closes one that somehow came up short, and is reported if it does. */
    static final Duration WINDOW_MAX_AGE = Duration.ofMinutes(2);
    static final Duration WINDOW_TIMEOUT = Duration.ofMinutes(5);
    static final Duration CANDIDATE_TIMEOUT = Duration.ofMinutes(30);

    private StreamBench() {
    }

    record Options(String stream, boolean quick, Integer windows, Integer perLabel, Integer epochs,
                   List<Method> methods, List<Long> seeds, Map<String, String> trainerSettings) {

        static Options parse(String[] args) {
            if (args.length == 0 || args[0].startsWith("--")) {
                throw new IllegalArgumentException("the first argument names the stream: wordnet or spam");
            }
            boolean quick = false;
            Integer windows = null;
            Integer perLabel = null;
            Integer epochs = null;
            List<Method> methods = Method.DEFAULTS;
            List<Long> seeds = null;
            Map<String, String> trainerSettings = new LinkedHashMap<>();
            for (int i = 1; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> quick = true;
                    case "--windows" -> windows = Integer.parseInt(args[++i]);
                    case "--per-label", "--per-category" -> perLabel = Integer.parseInt(args[++i]);
                    case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                    case "--methods" -> methods = Arrays.stream(args[++i].split(",")).map(Method::named).toList();
                    case "--techniques" -> methods = Method.TECHNIQUES;
                    case "--seeds" -> seeds = Arrays.stream(args[++i].split(",")).map(Long::parseLong).toList();
                    case "--seed" -> seeds = List.of(Long.parseLong(args[++i]));
                    case "--set" -> {
                        String[] kv = args[++i].split("=", 2);
                        if (kv.length != 2 || !kv[0].startsWith("trainer.")) {
                            throw new IllegalArgumentException("--set takes trainer.<key>=<value>: " + args[i]);
                        }
                        trainerSettings.put(kv[0], kv[1]);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "; see StreamBench");
                }
            }
            if (seeds == null) {
                seeds = quick ? List.of(1L) : List.of(1L, 2L, 3L);
            }
            if (quick && epochs == null) {
                epochs = 1;
            }
            return new Options(args[0], quick, windows, perLabel, epochs, methods, seeds, Map.copyOf(trainerSettings));
        }
    }

    /**
     * What one window cost a method: its training, the time from the window's close to its candidate, and where the
     * training time went (the trainer's stages, in seconds).
     */
    record WindowCost(double trainSeconds, double closedToCandidateSeconds, double examplesPerSecond,
                      Map<String, Double> stageSeconds) {
    }

    /**
     * @param windows     the windows as this method's ingest wrote them
     * @param replayShare the examples the trainer keeps after the last window (replay buffer, joint memory) over the
     *                    training examples seen
     * @param notes       anything that makes a number less than it seems (a window closed by age, a round that did
     *                    not start from the deployed adapter)
     */
    record MethodResult(Method method, long seed, AccuracyMatrix accuracy, List<WindowCost> costs,
                        List<IngestedWindow> windows, double replayShare, List<String> notes,
                        AdapterSize adapter) {

        double mean(ToDoubleFunction<WindowCost> f) {
            return costs.stream().mapToDouble(f).average().orElse(Double.NaN);
        }

        double max(ToDoubleFunction<WindowCost> f) {
            return costs.stream().mapToDouble(f).max().orElse(Double.NaN);
        }

        RunMetrics metrics() {
            return RunMetrics.of(method.id(), seed, accuracy, replayShare,
                    costs.stream().map(WindowCost::trainSeconds).toList());
        }
    }

    /** The last candidate's adapter: the weights it trained (head included) and its file's size. */
    record AdapterSize(long trainableWeights, long fileBytes) {
    }

    /** The windows as ingest wrote them: manifest and examples per split. */
    record IngestedWindow(TrainingWindow manifest, List<CleanExample> train, List<CleanExample> validation,
                          List<CleanExample> test) {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        long started = System.nanoTime();
        double loadBefore = BenchRuns.loadAverage();
        Path repo = Path.of(System.getProperty("bench.repo", "")).toAbsolutePath();
        BenchStream stream = BenchStream.open(options.stream(), options.windows(), options.perLabel(),
                options.quick());
        if (!stream.classIncremental() && options.methods().contains(Method.REPLAY_EWC_GROWING)) {
            throw new IllegalArgumentException(Method.REPLAY_EWC_GROWING.id() + " needs a class-incremental stream; "
                    + stream.name() + " has the same labels in every window");
        }
        Path runs = repo.resolve("bench/target/" + stream.name() + "-runs");
        BenchRuns.deleteRecursively(runs);
        log("%s", stream.description());
        log("methods %s, seeds %s; load average %.2f on %d cores", options.methods().stream().map(Method::id)
                .toList(), options.seeds(), loadBefore, Runtime.getRuntime().availableProcessors());

        List<MethodResult> results = new ArrayList<>();
        Map<Long, List<StreamWindow>> windowsBySeed = new LinkedHashMap<>();
        TrainerSettings trainerSettings = null;
        Path file = repo.resolve("bench/target/" + stream.name() + "-results.md");
        try (BaseModel base = BuiltInModels.miniLm()) {
            for (long seed : options.seeds()) {
                List<StreamWindow> windows = stream.windows(seed);
                windowsBySeed.put(seed, windows);
                log("seed %d: %d windows: %s", seed, windows.size(), windows.stream()
                        .map(w -> w.name() + " (" + w.examples().size() + ")").toList());
                MethodResult first = null;
                for (Method method : options.methods()) {
                    Path home = runs.resolve("seed-" + seed).resolve(method.id().replace('+', '-'));
                    StreamingRun run = streaming(stream, method, base, windows, options, seed, repo, home);
                    MethodResult result = run.result();
                    trainerSettings = run.settings();
                    results.add(result);
                    first = first == null ? result : first;
                    if (!sameContents(first.windows(), result.windows())) {
                        result.notes().add("ingest's windows differ from " + first.method().id()
                                + "'s (same input, so they should not)");
                    }
                    // After each method, so that a later failure keeps what was measured.
                    Files.writeString(file, report(stream, results, windowsBySeed, trainerSettings, loadBefore,
                            BenchRuns.loadAverage(), (System.nanoTime() - started) / 1e9),
                    StandardCharsets.UTF_8);
                }
            }
        }
        System.out.println();
        System.out.println(Files.readString(file, StandardCharsets.UTF_8));
        log("Results written to %s", file);
        // Every broker, ingest and trainer this run started is closed by now. A thread that still keeps the JVM alive
        // is a leak (once in 21 runs a trainer's consumer loop outlived its context and kept retrying a broker that
        // was gone, so the finished bench never exited): name it and end the run rather than hang.
        List<String> leaked = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.isDaemon() && t != Thread.currentThread()
                        && !"DestroyJavaVM".equals(t.getName()))
                .map(Thread::getName).sorted().toList();
        if (!leaked.isEmpty()) {
            log("warning: threads still running after every run was closed: %s; exiting anyway", leaked);
            System.exit(0);
        }
    }

    record StreamingRun(MethodResult result, TrainerSettings settings) {
    }

    /** One method through broker, ingest and trainer; this bench plays producer, deployer and judge. */
    static StreamingRun streaming(BenchStream stream, Method method, BaseModel base, List<StreamWindow> windows,
                                  Options options, long seed, Path repo, Path home) throws Exception {
        log("== %s, seed %d: starting broker, ingest and trainer", method.id(), seed);
        Map<String, Object> trainerProperties = new LinkedHashMap<>();
        trainerProperties.put("micronaut.server.port", -1);
        trainerProperties.put("trainer.home", home.resolve("trainer-home").toString());
        trainerProperties.putAll(Pipeline.keys(home).properties(SignerRole.TRAINER));
        trainerProperties.putAll(method.trainerProperties());
        // A seed is a whole run: the data's sampling and order, and the trainer's initialisation, dropout and replay.
        // The evaluator is on this classpath for the drift bench's tests: its services must not start here.
        trainerProperties.put(EvaluatorService.ENABLED, false);
        trainerProperties.put("trainer.hyperparameters.seed", seed);
        if (options.epochs() != null) {
            trainerProperties.put("trainer.hyperparameters.epochs", options.epochs());
        }
        trainerProperties.putAll(options.trainerSettings());
        AccuracyMatrix accuracy = new AccuracyMatrix(windows.size());
        List<WindowCost> costs = new ArrayList<>();
        AdapterSize size = null;
        List<String> notes = new ArrayList<>();
        List<IngestedWindow> ingested = new ArrayList<>();
        try (Pipeline pipeline = Pipeline.start(stream, repo, home, windows)) {
            TaskDefinition definition = pipeline.defineTask(method.labelsOverTime()
                    ? windows.get(0).labels() : stream.labels());
            trainerProperties.put("kafka.bootstrap-servers", pipeline.bootstrap());
            try (ApplicationContext trainer = ApplicationContext.run(trainerProperties)) {
                TrainerSettings settings = trainer.getBean(TrainerSettings.class);
                TrainerService service = trainer.getBean(TrainerService.class);
                BooleanSupplier alive = () -> pipeline.ingest().isAlive() && service.alive();
                log("%s: strategies %s (replay %s, EWC %s); %s", method.id(), settings.strategies(),
                        settings.replay(), settings.ewc(), describe(settings.hyperparameters()));
                String deployed = null;
                for (int k = 0; k < windows.size(); k++) {
                    long windowStarted = System.nanoTime();
                    if (method.labelsOverTime() && k > 0) {
                        definition = pipeline.appendLabels(definition, windows.get(k).labels());
                    }
                    IngestedWindow window = pipeline.send(windows.get(k), alive);
                    ingested.add(window);
                    TrainingWindow manifest = window.manifest();
                    if (manifest.getCloseReason() != WindowCloseReason.COUNT) {
                        notes.add(manifest.getWindowId() + " closed by " + manifest.getCloseReason());
                    }
                    log("%s: window %d of %d (%s) closed: %d train, %d validation, %d test; training", method.id(),
                            k + 1, windows.size(), windows.get(k).name(), window.train().size(),
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
                            candidate.getValidationMetrics().getOrDefault("examples.per.second", Double.NaN),
                            StageTimes.secondsByStage(candidate.getValidationMetrics()));
                    costs.add(cost);
                    Path adapter = AdapterArtifact.of(candidate.getArtifactUri(), candidate.getArtifactSha256())
                            .verifiedPath(AdapterArtifact.storeUnder(Path.of(settings.home())));
                    try (TextClassifier classifier = TextClassifier.load(base, adapter)) {
                        score(classifier, ingested, k, accuracy);
                        size = new AdapterSize(classifier.trainableParameterCount(), Files.size(adapter));
                    }
                    log("%s: window %d of %d done in %.1f s (training %.1f s, closed -> candidate %.1f s); test "
                                    + "accuracy by window %s", method.id(), k + 1, windows.size(),
                            (System.nanoTime() - windowStarted) / 1e9, cost.trainSeconds(),
                            cost.closedToCandidateSeconds(), row(accuracy, k));
                }
                double replayShare = replayShare(stream.name(), settings, ingested);
                return new StreamingRun(new MethodResult(method, seed, accuracy, costs, ingested, replayShare, notes,
                        size),
                        settings);
            }
        }
    }

    /**
     * The examples the trainer keeps (replay buffer, joint memory) as a share of the training examples seen: the
     * trainer saves its strategies' state to the checkpoint before it publishes a candidate, so after the last
     * candidate the files hold the final memory.
     */
    static double replayShare(String task, TrainerSettings settings, List<IngestedWindow> ingested)
            throws IOException {
        Path taskDirectory = new TrainerCheckpoint(Path.of(settings.home(), "trainer")).taskDirectory(task);
        int kept = 0;
        for (ContinualStrategy strategy : StrategyRegistry.create(settings, taskDirectory)) {
            if (strategy instanceof ReplayStrategy replay) {
                kept += replay.buffer().size();
            } else if (strategy instanceof JointStrategy joint) {
                kept += joint.memory().size();
            }
        }
        return (double) kept / ingested.stream().mapToInt(w -> w.train().size()).sum();
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
    record Pipeline(BenchStream stream, LocalKafkaBroker broker, ServiceProcess ingest, Path ingestLog,
                    KafkaProducer<byte[], byte[]> producer, PipelineTap tap, Thread stopOnExit, RecordSigner deployer,
                    int windowSize) implements AutoCloseable {

        static Pipeline start(BenchStream stream, Path repo, Path home, List<StreamWindow> windows)
                throws IOException {
            LocalKafkaBroker broker = LocalKafkaBroker.start(home.resolve("kafka"), LocalKafkaBroker.freePortPair(),
                    "512m");
            KafkaProducer<byte[], byte[]> producer = null;
            PipelineTap tap = null;
            try {
                new TopicProvisioner(KafkaConnection.plaintext(broker.bootstrapServers())).ensureAll();
                producer = KafkaClients.producer(KafkaConnection.plaintext(broker.bootstrapServers()), stream.name() + "-bench", 5);
                tap = new PipelineTap(broker.bootstrapServers(), keys(home).trusted());
                tap.awaitLeaders(List.of(Topics.LABELLED_EXAMPLES, Topics.DEPLOYMENTS), Duration.ofSeconds(60));
                // Ingest as deployed: its own JVM from its build output, with its own application.yml.
                Path ingestLog = home.resolve("ingest.log");
                ServiceProcess ingest = ServiceProcess.start(Streamtune.service("ingest"), repo, Map.of(),
                        ingestProperties(broker.bootstrapServers(), home),
                        ingestLog);
                // Ctrl-C skips close(): stop the child JVMs anyway rather than leave them running.
                Thread stopOnExit = new Thread(() -> {
                    ingest.close();
                    broker.close();
                }, stream.name() + "-bench-stop");
                Runtime.getRuntime().addShutdownHook(stopOnExit);
                return new Pipeline(stream, broker, ingest, ingestLog, producer, tap, stopOnExit,
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
        static Map<String, String> ingestProperties(String bootstrap, Path home) {
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
        IngestedWindow send(StreamWindow window, BooleanSupplier alive) throws Exception {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (StreamWindow.Example example : window.examples()) {
                LabelledExample record = LabelledExample.newBuilder().setId(example.id()).setTask(stream.name())
                        .setText(example.text()).setLabel(example.label()).setSource(stream.source())
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
            // Every window is sent whole and closes at exactly its size. No PII masking: WordNet's definitions hold no
            // personal data (the phone rule would mask life dates, "(1809-1865)"), the corpus's addresses were
            // obfuscated by its publishers, and masking could make two sent texts one, which ingest would drop.
            return publish(TaskDefinition.newBuilder(TaskCatalogue.newTask(stream.name(), labels, stream.name() + "-bench",
                    Instant.now()))
                    .setWindow(new dev.streamtune.schema.WindowPolicy(windowSize, WINDOW_MAX_AGE.toMillis()))
                    .setText(new dev.streamtune.schema.TextPolicy(stream.minChars(), stream.maxChars(),
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
            log("task %s v%d: adding labels %s", stream.name(), current.getVersion() + 1, added);
            return publish(TaskCatalogue.nextVersion(current, stream.name() + "-bench", Instant.now(), "added labels " + added)
                    .setLabels(grown).build());
        }

        private TaskDefinition publish(TaskDefinition definition) throws Exception {
            producer.send(new ProducerRecord<>(Topics.TASKS.name(), stream.name().getBytes(StandardCharsets.UTF_8),
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

    static String report(BenchStream stream, List<MethodResult> results, Map<Long, List<StreamWindow>> windowsBySeed,
                         TrainerSettings settings, double loadBefore, double loadAfter, double seconds) {
        StringBuilder out = new StringBuilder();
        out.append("# ").append(stream.title()).append("\n\n");
        out.append(stream.description()).append(String.format(Locale.ROOT, "; split by ingest 70/15/15. Seeds %s. "
                        + "Ran %.0f s; load average %.2f at the start, %.2f at the end, %d cores.%n%n",
                windowsBySeed.keySet(), seconds, loadBefore, loadAfter, Runtime.getRuntime().availableProcessors()));
        if (settings != null) {
            out.append("Trainer: ").append(describe(settings.hyperparameters()).replaceAll(", seed \\d+$", ""))
                    .append(" (seed: the run's); strategy settings: ").append(settings.replay()).append(", ")
                    .append(settings.ewc()).append(", ").append(settings.lwf()).append(", ")
                    .append(settings.weightAligning()).append(", ").append(settings.joint()).append(".\n\n");
        }
        out.append("Mean ± sample standard deviation over the seeds. Replay memory: the examples the trainer keeps "
                + "after the last window (replay buffer, joint's memory) over the training examples seen.\n\n");
        out.append("| method | seeds | average accuracy | BWT | forgetting | replay memory / examples seen "
                + "| train s / window |\n|---|---|---|---|---|---|---|\n");
        for (MethodSummary m : MethodSummary.byMethod(results.stream().map(MethodResult::metrics).toList())) {
            out.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s |%n", m.method(), m.seeds(),
                    m.averageAccuracy().format("%.3f"), m.backwardTransfer().format("%+.3f"),
                    m.forgetting().format("%.3f"), m.replayShare().format("%.3f"),
                    m.trainSecondsPerWindow().format("%.1f")));
        }
        out.append(techniques(results));
        Map<String, List<Map<String, Double>>> stagesByMethod = new LinkedHashMap<>();
        results.forEach(r -> r.costs().forEach(cost -> stagesByMethod.computeIfAbsent(r.method().id(),
                m -> new ArrayList<>()).add(cost.stageSeconds())));
        String stages = StageBreakdown.table(stagesByMethod);
        if (!stages.isEmpty()) {
            out.append("\nWhere a window's training time goes (the trainer's stages, seconds per window, mean over "
                    + "windows and seeds; `steps` is forward, backward and optimizer, `before.<strategy>` and "
                    + "`after.<strategy>` each strategy's work around the training):\n\n").append(stages);
        }
        out.append("\nEvery seed:\n\n| method | seed | average accuracy | BWT | forgetting | replay memory / examples "
                + "seen | train s / window (mean / max) | window closed -> candidate s (mean / max) | examples/s |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        for (MethodResult r : results) {
            RunMetrics m = r.metrics();
            out.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %+.3f | %.3f | %.3f | %.1f / %.1f | %s | %.0f |%n",
                    m.method(), m.seed(), m.averageAccuracy(), m.backwardTransfer(), m.forgetting(), m.replayShare(),
                    r.mean(WindowCost::trainSeconds), r.max(WindowCost::trainSeconds),
                    Double.isNaN(r.mean(WindowCost::closedToCandidateSeconds)) ? "n/a (offline)"
                            : String.format(Locale.ROOT, "%.1f / %.1f", r.mean(WindowCost::closedToCandidateSeconds),
                            r.max(WindowCost::closedToCandidateSeconds)),
                    r.mean(WindowCost::examplesPerSecond)));
        }
        long shownWindowsOf = Long.MIN_VALUE;
        for (MethodResult r : results) {
            List<StreamWindow> windows = windowsBySeed.get(r.seed());
            if (r.seed() != shownWindowsOf) {
                shownWindowsOf = r.seed();
                out.append(String.format(Locale.ROOT, "%n## Seed %d%n%nWindows as ingest wrote them (train / "
                        + "validation / test):", r.seed()));
                for (int k = 0; k < r.windows().size(); k++) {
                    IngestedWindow w = r.windows().get(k);
                    out.append(String.format(Locale.ROOT, " %d: %d/%d/%d (%s)", k + 1, w.train().size(),
                            w.validation().size(), w.test().size(), windows.get(k).name()));
                }
                out.append('\n');
            }
            out.append("\nAccuracy matrix, ").append(r.method().id()).append(", seed ").append(r.seed())
                    .append(" (row: after window k; column: test split of window i)\n\n| after \\ test |");
            for (int i = 0; i < windows.size(); i++) {
                out.append(' ').append(i + 1).append(" (").append(windows.get(i).name()).append(") |");
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

    /**
     * The fine-tuning techniques beside the default (when the run has any): what each trains and stores, what it
     * reaches, what it costs, and for the techniques that spend more compute (search, augmentation) the accuracy
     * each extra training second bought over the default. Empty when no technique ran.
     */
    static String techniques(List<MethodResult> results) {
        if (results.stream().noneMatch(r -> !r.method().techniqueSettings().isEmpty())) {
            return "";
        }
        List<MethodSummary> summaries = MethodSummary.byMethod(results.stream().map(MethodResult::metrics).toList());
        MethodSummary baseline = summaries.stream()
                .filter(m -> m.method().equals(Method.REPLAY_LWF_WEIGHT_ALIGNING.id())).findFirst().orElse(null);
        Map<String, MethodSummary.Spread> roundSeconds = new LinkedHashMap<>();
        summaries.forEach(m -> roundSeconds.put(m.method(), MethodSummary.Spread.of(results.stream()
                .filter(r -> r.method().id().equals(m.method())).mapToDouble(StreamBench::roundSecondsPerWindow)
                .toArray())));
        double baseSeconds = baseline == null ? Double.NaN : roundSeconds.get(baseline.method()).mean();
        StringBuilder out = new StringBuilder("\nFine-tuning techniques, each on the default strategies (the default "
                + "row: LoRA r=8 on query and value, AdamW; trainable weights include the head; round s: the "
                + "trainer's whole round per window, search and augmentation included; accuracy gain per extra "
                + "round second is against the default's means):\n\n| technique | settings | trainable weights "
                + "| adapter file | average accuracy | forgetting | round s / window | accuracy gain per extra round "
                + "s |\n|---|---|---|---|---|---|---|---|\n");
        for (MethodSummary m : summaries) {
            MethodResult any = results.stream().filter(r -> r.method().id().equals(m.method())).findFirst()
                    .orElseThrow();
            String gain = "";
            if (baseline != null && m != baseline) {
                double extraSeconds = roundSeconds.get(m.method()).mean() - baseSeconds;
                double extraAccuracy = m.averageAccuracy().mean() - baseline.averageAccuracy().mean();
                gain = extraSeconds > 1 ? String.format(Locale.ROOT, "%+.4f", extraAccuracy / extraSeconds)
                        : String.format(Locale.ROOT, "%+.3f at no extra time", extraAccuracy);
            }
            out.append(String.format(Locale.ROOT, "| %s | %s | %,d | %.0f KB | %s | %s | %s | %s |%n", m.method(),
                    any.method().techniqueSettings().isEmpty() ? "(defaults)"
                            : any.method().techniqueSettings().toString().replaceAll("[{}]", ""),
                    any.adapter().trainableWeights(), any.adapter().fileBytes() / 1024.0,
                    m.averageAccuracy().format("%.3f"), m.forgetting().format("%.3f"),
                    roundSeconds.get(m.method()).format("%.1f"), gain));
        }
        return out.toString();
    }

    /** The trainer's whole round (every stage: search, augmentation, steps, ...) per window, mean over windows. */
    static double roundSecondsPerWindow(MethodResult result) {
        return result.costs().stream().mapToDouble(cost -> cost.stageSeconds().values().stream()
                .mapToDouble(Double::doubleValue).sum()).average().orElse(Double.NaN);
    }

    static String describe(TrainerSettings.Hyperparameters hp) {
        return String.format(Locale.ROOT, "lr %.1e (%s, warmup %d), batch %d, epochs %d, max steps %d, LoRA r=%d "
                        + "alpha %.0f on %s from layer %d, max sequence %d, early stopping patience %d every %d steps on "
                        + "a validation sample of %d, seed %d",
                hp.learningRate(), hp.decay(), hp.warmupSteps(), hp.batchSize(), hp.epochs(), hp.maxSteps(),
                hp.loraRank(), hp.loraAlpha(), hp.loraTargets(), hp.loraFirstLayer(), hp.maxSequenceLength(),
                hp.patience(), hp.evaluateEverySteps(), hp.validationSample(), hp.seed());
    }

    private static String row(AccuracyMatrix accuracy, int k) {
        double[] values = new double[k + 1];
        for (int i = 0; i <= k; i++) {
            values[i] = accuracy.get(k, i);
        }
        return Arrays.stream(values).mapToObj(v -> String.format(Locale.ROOT, "%.3f", v)).toList().toString();
    }

    static void log(String format, Object... args) {
        BenchRuns.log("stream-bench", format, args);
    }
}
