package dev.streamtune.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.streamtune.contract.LocalSigningKeys;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.KafkaClients;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.launcher.Streamtune;
import dev.streamtune.launcher.cli.TasksCommand;
import dev.streamtune.localkafka.LocalKafkaBroker;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.LabelledExample;
import dev.streamtune.schema.PromotionDecision;
import dev.streamtune.schema.Split;
import dev.streamtune.schema.TrainingWindow;
import dev.streamtune.schema.Verdict;
import dev.streamtune.schema.WindowCloseReason;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Freshness through the whole pipeline ({@code bench/run.sh freshness}): how long after a training window closes
 * does serving answer with the adapter trained on it, and which stage takes that time. The run command starts as a
 * user starts it ({@link RunCommandProcess}: local broker, ingest, trainer, evaluator, serving, each its own JVM,
 * under a fresh {@code bench/target/freshness-home}); the bench creates the task with {@code ./streamtune tasks
 * create} (the same code, {@link TasksCommand}), then sends one window of SpamAssassin bodies at a time and follows
 * it: the manifest on windows.closed, the candidate on adapters.candidates, the evaluator's decision on
 * promotion.decisions ({@link PipelineTap}), and serving's {@code GET /v1/tasks/{task}/model} every 100 ms until it
 * names the candidate. The next window is sent only then, so each window's times are its own, not a queue's.
 *
 * <p>Options: {@code --windows N} (default 3), {@code --window-size N} (examples per window, all splits; default
 * 1430, about 1,000 training examples after ingest's 70/15/15 split), {@code --seed N} (which messages, in which
 * order; default 1), {@code --quick} (2 windows of 300), {@code --window-timeout-minutes N} (default 15: the
 * longest a window may take from sending to serving; the error names the stage it was waiting for),
 * {@code --set key=value} (repeatable: any
 * {@code ./streamtune tasks} setting of the task, e.g. {@code training.epochs=1}). The table goes to
 * {@code bench/target/freshness-results.md}, rewritten after each window (a failure keeps what was measured).
 */
public final class FreshnessBench {

    static final String TASK = SpamStream.NAME;
    /** By default, the longest one window may take from its first example sent to serving answering with it. */
    static final Duration WINDOW_TIMEOUT = Duration.ofMinutes(15);
    static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(6);
    static final Duration SERVING_POLL = Duration.ofMillis(100);
    /** Windows close by count; this age only closes one that somehow came up short, and is reported if it does. */
    static final String WINDOW_MAX_AGE = "1h";

    private FreshnessBench() {
    }

    record Options(int windows, int windowSize, long seed, boolean quick, Duration windowTimeout,
                   List<String> taskSettings) {

        static final int DEFAULT_WINDOWS = 3;
        /** About 1,000 training examples once ingest keeps 70% for training. */
        static final int DEFAULT_WINDOW_SIZE = 1430;

        static Options parse(String[] args) {
            Integer windows = null;
            Integer windowSize = null;
            long seed = 1;
            boolean quick = false;
            Duration windowTimeout = WINDOW_TIMEOUT;
            List<String> taskSettings = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--windows" -> windows = Integer.parseInt(args[++i]);
                    case "--window-size" -> windowSize = Integer.parseInt(args[++i]);
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    case "--quick" -> quick = true;
                    case "--window-timeout-minutes" -> windowTimeout = Duration.ofMinutes(Long.parseLong(args[++i]));
                    case "--set" -> {
                        if (!args[++i].contains("=")) {
                            throw new IllegalArgumentException("--set takes key=value (a ./streamtune tasks setting): "
                                    + args[i]);
                        }
                        taskSettings.add(args[i]);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "; see FreshnessBench");
                }
            }
            return new Options(windows != null ? windows : quick ? 2 : DEFAULT_WINDOWS,
                    windowSize != null ? windowSize : quick ? 300 : DEFAULT_WINDOW_SIZE, seed, quick, windowTimeout,
                    List.copyOf(taskSettings));
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        long started = System.nanoTime();
        double loadBefore = BenchRuns.loadAverage();
        Path repo = Path.of(System.getProperty("bench.repo", "")).toAbsolutePath();
        Path home = repo.resolve("bench/target/freshness-home");
        Path results = repo.resolve("bench/target/freshness-results.md");
        BenchRuns.deleteRecursively(home);
        Path data = SpamAssassinPackage.install(Path.of(System.getProperty("bench.spam.cache",
                SpamAssassinPackage.defaultCache().toString())));
        SpamAssassinCorpus corpus = SpamAssassinCorpus.read(data, SpamStream.MIN_CHARS, SpamStream.MAX_CHARS);
        List<StreamWindow> windows = corpus.shuffledWindows(options.windows(), options.windowSize(), options.seed());
        String description = String.format(Locale.ROOT, "%d windows of %d SpamAssassin message bodies (npm %s; "
                        + "first %d characters, the trainer reads the first 64 tokens), all collections shuffled by "
                        + "seed %d; ingest splits each 70/15/15. Task settings: %s", windows.size(),
                options.windowSize(), SpamAssassinPackage.PACKAGE, SpamStream.MAX_CHARS, options.seed(),
                taskSettings(options));
        log("%s", description);

        List<FreshnessTimeline.Window> measured = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<String, String> hyperparameters = new TreeMap<>();
        String failure = null;
        // Made before the run command starts, which keeps keys it finds: the tap trusts the run's signers.
        LocalSigningKeys keys = LocalSigningKeys.ensure(home.resolve("keys"));
        int kafkaPort = LocalKafkaBroker.freePortPair();
        log("starting the run command (STREAMTUNE_HOME=%s, Kafka on 127.0.0.1:%d; its output: %s)", home, kafkaPort,
                home.resolve("streamtune.log"));
        try (RunCommandProcess run = RunCommandProcess.start(repo, home, kafkaPort)) {
            try {
                run.awaitHealthy(STARTUP_TIMEOUT);
                log("every service is healthy after %.0f s; creating task %s", (System.nanoTime() - started) / 1e9,
                        TASK);
                createTask(options, home);
                String bootstrap = "127.0.0.1:" + kafkaPort;
                ServingClient serving = new ServingClient(Streamtune.service("serving").url("127.0.0.1"));
                try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(
                        KafkaConnection.plaintext(bootstrap), "freshness-bench", 5);
                     PipelineTap tap = new PipelineTap(bootstrap, keys.trusted())) {
                    tap.awaitLeaders(List.of(Topics.LABELLED_EXAMPLES), Duration.ofSeconds(60));
                    for (StreamWindow window : windows) {
                        measured.add(measure(window, windows.size(), options.windowTimeout(), producer, tap,
                                serving, run::alive, notes, hyperparameters));
                        Files.writeString(results, report(description, measured, hyperparameters, notes, null,
                                loadBefore, started), StandardCharsets.UTF_8);
                    }
                }
            } catch (Exception | Error e) {
                failure = e.getMessage() == null ? e.toString() : e.getMessage();
                log("FAILED: %s%n%s", failure, run.tail());
                throw e;
            } finally {
                Files.createDirectories(results.getParent());
                Files.writeString(results, report(description, measured, hyperparameters, notes, failure,
                        loadBefore, started), StandardCharsets.UTF_8);
                System.out.println();
                System.out.println(Files.readString(results, StandardCharsets.UTF_8));
                log("Results written to %s; stopping the run command", results);
            }
        }
    }

    /**
     * One window through the pipeline: sends it, then waits for each stage in turn, every wait bounded by what is
     * left of {@code timeout} and named in the error when it runs out.
     *
     * @param hyperparameters filled with the first candidate's, for the report
     */
    static FreshnessTimeline.Window measure(StreamWindow window, int of, Duration timeout,
                                            KafkaProducer<byte[], byte[]> producer, PipelineTap tap,
                                            ServingClient serving, BooleanSupplier alive, List<String> notes,
                                            Map<String, String> hyperparameters) throws Exception {
        try {
            return stages(window, of, System.nanoTime() + timeout.toNanos(), producer, tap, serving, alive, notes,
                    hyperparameters);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("window " + (window.index() + 1) + " of " + of + " (at most "
                    + timeout.toMinutes() + " min per window): " + e.getMessage(), e);
        }
    }

    private static FreshnessTimeline.Window stages(StreamWindow window, int of, long deadline,
                                                   KafkaProducer<byte[], byte[]> producer, PipelineTap tap,
                                                   ServingClient serving, BooleanSupplier alive, List<String> notes,
                                                   Map<String, String> hyperparameters) throws Exception {
        int k = window.index();
        Instant lastProduced = send(window, producer);
        log("window %d of %d: %d examples sent; waiting for ingest to close it", k + 1, of, window.examples().size());
        TrainingWindow manifest = tap.awaitWindow(k, left(deadline), alive);
        if (manifest.getCloseReason() != WindowCloseReason.COUNT) {
            notes.add(manifest.getWindowId() + " closed by " + manifest.getCloseReason() + ", not by its count");
        }
        log("window %d: %s closed (%d train / %d validation / %d test); waiting for the trainer's candidate", k + 1,
                manifest.getWindowId(), manifest.getTrainCount(), manifest.getValidationCount(),
                manifest.getTestCount());
        AdapterCandidate candidate = tap.awaitCandidate(manifest.getWindowId(), left(deadline), alive);
        if (hyperparameters.isEmpty()) {
            hyperparameters.putAll(candidate.getHyperparameters());
        }
        log("window %d: candidate %s (training %.1f s); waiting for the evaluator's decision", k + 1,
                candidate.getCandidateId(), candidate.getValidationMetrics().getOrDefault("train.seconds", Double.NaN));
        PromotionDecision decision = tap.awaitDecision(candidate.getCandidateId(), left(deadline), alive);
        List<String> failed = decision.getReasons().stream().filter(r -> !r.startsWith("PASS")).toList();
        Instant served = null;
        Double accuracy = null;
        if (decision.getVerdict() == Verdict.APPROVED) {
            log("window %d: approved; waiting for serving to answer with %s", k + 1, candidate.getCandidateId());
            served = awaitServed(serving, candidate.getCandidateId(), deadline, alive);
            accuracy = accuracy(serving, candidate.getCandidateId(), tap.examples(manifest.getWindowId(), Split.TEST),
                    notes);
        } else {
            log("window %d: %s %s: %s", k + 1, candidate.getCandidateId(), decision.getVerdict(), failed);
        }
        FreshnessTimeline.Window measured = new FreshnessTimeline.Window(k, manifest.getWindowId(),
                manifest.getTrainCount(), manifest.getValidationCount(), manifest.getTestCount(), lastProduced,
                manifest.getClosedAt(), candidate.getCandidateId(), candidate.getCreatedAt(),
                candidate.getValidationMetrics(), decision.getDecidedAt(), decision.getVerdict().name(), failed,
                decision.getReport() == null ? null : decision.getReport().getCandidate().getTest().getAccuracy(),
                served, accuracy);
        log("window %d done: closed -> candidate %.1f s, -> decision %.1f s, -> serving %s", k + 1,
                measured.closedToCandidate(), measured.closedToCandidate() + measured.candidateToDecision(),
                served == null ? "never (rejected)" : String.format(Locale.ROOT, "%.1f s", measured.closedToServing()));
        return measured;
    }

    /**
     * Sends the window's examples as a data owner would (Avro single-object encoding, keyed by id).
     *
     * @return the producer's timestamp of the last example, once the broker has acknowledged every one
     */
    static Instant send(StreamWindow window, KafkaProducer<byte[], byte[]> producer) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (StreamWindow.Example example : window.examples()) {
            LabelledExample record = LabelledExample.newBuilder().setId(example.id()).setTask(TASK)
                    .setText(example.text()).setLabel(example.label()).setSource(SpamStream.SOURCE)
                    .setEventTime(Instant.now()).setAttributes(Map.of()).setWeight(null).build();
            sent.add(producer.send(new ProducerRecord<>(Topics.LABELLED_EXAMPLES.name(),
                    example.id().getBytes(StandardCharsets.UTF_8), Topics.LABELLED_EXAMPLES.encode(record))));
        }
        producer.flush();
        long last = Long.MIN_VALUE;
        for (Future<RecordMetadata> future : sent) {
            last = Math.max(last, future.get(60, TimeUnit.SECONDS).timestamp());
        }
        return Instant.ofEpochMilli(last);
    }

    /** Polls serving until it names the adapter; returns when the answer that did arrived. */
    static Instant awaitServed(ServingClient serving, String adapterId, long deadline, BooleanSupplier alive)
            throws InterruptedException {
        while (true) {
            if (serving.adapterId(TASK).filter(adapterId::equals).isPresent()) {
                return Instant.now();
            }
            if (!alive.getAsBoolean()) {
                throw new IllegalStateException("the run command stopped while waiting for serving to answer with "
                        + adapterId);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for serving to answer with " + adapterId);
            }
            Thread.sleep(SERVING_POLL.toMillis());
        }
    }

    /** The served adapter's accuracy on the window's test split, or null (with a note) when it cannot be told. */
    static Double accuracy(ServingClient serving, String adapterId, List<CleanExample> test, List<String> notes)
            throws InterruptedException {
        try {
            ServingClient.Answer answer = serving.predict(TASK, test.stream().map(CleanExample::getText).toList());
            if (!adapterId.equals(answer.adapterId())) {
                notes.add("the test split of " + adapterId + "'s window was answered by " + answer.adapterId());
                return null;
            }
            int correct = 0;
            for (int i = 0; i < test.size(); i++) {
                correct += test.get(i).getLabel().equals(answer.labels().get(i)) ? 1 : 0;
            }
            return test.isEmpty() ? null : (double) correct / test.size();
        } catch (IOException e) {
            notes.add("no accuracy for " + adapterId + ": " + e.getMessage());
            return null;
        }
    }

    /** {@code ./streamtune tasks create}, run in this JVM: the same command line, the same API call. */
    static void createTask(Options options, Path home) {
        List<String> args = new ArrayList<>(List.of("create", TASK, "--labels",
                String.join(",", SpamAssassinCorpus.HAM, SpamAssassinCorpus.SPAM), "--positive", SpamAssassinCorpus.SPAM,
                "--by", "freshness-bench"));
        args.addAll(taskSettings(options));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = TasksCommand.run(args, Map.of(), Streamtune.service("evaluator").url("127.0.0.1"),
                home.resolve("keys"), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        if (exit != 0) {
            throw new IllegalStateException("./streamtune tasks " + String.join(" ", args) + " failed (exit " + exit
                    + "): " + err.toString(StandardCharsets.UTF_8));
        }
        log("./streamtune tasks %s:%n%s", String.join(" ", args), out.toString(StandardCharsets.UTF_8).strip());
    }

    /**
     * The task's settings: every window closes at its count, the texts' bounds are the corpus's (so ingest refuses
     * and cuts none), no PII masking (it could make two texts one, which ingest would drop); then the caller's.
     */
    static List<String> taskSettings(Options options) {
        List<String> settings = new ArrayList<>(List.of("window.max-count=" + options.windowSize(),
                "window.max-age=" + WINDOW_MAX_AGE, "text.min-chars=" + SpamStream.MIN_CHARS,
                "text.max-chars=" + SpamStream.MAX_CHARS, "text.overflow=reject", "pii=none"));
        settings.addAll(options.taskSettings());
        return settings;
    }

    static String report(String description, List<FreshnessTimeline.Window> measured,
                         Map<String, String> hyperparameters, List<String> notes, String failure, double loadBefore,
                         long started) {
        FreshnessTimeline timeline = new FreshnessTimeline(measured);
        StringBuilder out = new StringBuilder("# Freshness: window closed -> serving answers with its adapter "
                + "(bench/run.sh freshness)\n\n");
        out.append(description).append(String.format(Locale.ROOT, ". The run command with every service (local "
                        + "broker, ingest, trainer, evaluator, serving; each its own JVM) on %d cores; load average "
                        + "%.2f at the start, %.2f at the end; ran %.0f s.%n%n",
                Runtime.getRuntime().availableProcessors(), loadBefore, BenchRuns.loadAverage(),
                (System.nanoTime() - started) / 1e9));
        if (!hyperparameters.isEmpty()) {
            out.append("Trainer hyperparameters (the first candidate's): ").append(hyperparameters).append(".\n\n");
        }
        out.append("""
                Stages, from the times the records carry (one machine, one clock): produced -> closed: the last \
                example's producer timestamp to the manifest's closedAt (ingest); closed -> candidate: to the \
                candidate's createdAt (the trainer: reading the window, training, validating, saving, publishing); \
                train s and examples/s: the candidate's own train.seconds and examples.per.second; candidate -> \
                decision: to the decision's decidedAt (the evaluator: scoring candidate and champion, the gate); \
                decision -> serving: to the first answer of GET /v1/tasks/{task}/model naming the candidate \
                (polled every 100 ms); candidate accuracy: the evaluator's, on the window's test split (in its \
                report, served or not); served accuracy: the served adapter on the window's test split, through \
                POST /v1/tasks/{task}/predict.

                """);
        out.append(timeline.table()).append('\n').append(timeline.summary()).append(' ')
                .append(timeline.accuracySummary()).append('\n');
        timeline.rejections().forEach(r -> out.append("\nNot served: ").append(r).append('\n'));
        String stages = timeline.stageTable();
        if (!stages.isEmpty()) {
            out.append("\nWhere each window's training time went (the candidate's time.<stage>.seconds):\n\n")
                    .append(stages);
        }
        notes.forEach(note -> out.append("\nNote: ").append(note).append('\n'));
        if (failure != null) {
            out.append("\nFAILED after ").append(measured.size()).append(" window(s): ").append(failure).append('\n');
        }
        return out.toString();
    }

    private static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    static void log(String format, Object... args) {
        BenchRuns.log("freshness-bench", format, args);
    }
}
