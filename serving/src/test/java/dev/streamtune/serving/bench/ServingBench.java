package dev.streamtune.serving.bench;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TopicProvisioner;
import ai.djl.pytorch.jni.JniUtils;
import dev.streamtune.localkafka.LocalKafkaBroker;
import dev.streamtune.model.InferenceEngine;
import dev.streamtune.model.OnnxClassifier;
import dev.streamtune.model.Prediction;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.serving.Http;
import dev.streamtune.serving.TestAdapters;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Load benchmark of the serving tier (not a test; run with {@code bench/run.sh serving}).
 *
 * <ol>
 *   <li>Raw forward throughput of each engine (PyTorch, ONNX Runtime fp32 and int8, the same adapter): {@code
 *       predict} on batches of 1, 8, 16, 32, 64 texts with one thread and with one per core (best of three windows
 *       each); each engine's best is its ceiling. Then how often the ONNX engines give PyTorch's label.</li>
 *   <li>The service (embedded HTTP server, real broker in its own process, prediction log on) on each engine,
 *       driven by C concurrent clients sending one text per call for a fixed time: calls/s, p50/p99, mean
 *       micro-batch size, and the ratio of its texts/s to the engine's raw ceiling. Repeated for each batcher
 *       setting asked for.</li>
 *   <li>The same load while a new adapter is deployed every few seconds, per engine: p99 during swaps against
 *       steady state, failed calls, and the mean time to load, compile and warm an adapter.</li>
 * </ol>
 * With {@code --many-tasks true --engines X} it measures only many tasks in one process on engine X, in a JVM that
 * ran nothing else (memory figures are not clean otherwise): the service grown to {@code --tasks 1,10,50} tasks
 * (each its own deployment), the clients' calls spread over all of them: resident memory per extra task, calls/s,
 * p50/p99.
 * Options (defaults = the service's): {@code --engines pytorch,onnx-fp32,onnx-int8 --clients 16 --seconds 15
 * --swap-every 3 --tasks 1,10,50 --max-size 32 --workers 2 --intra-op-threads 1 --max-wait-ms 2 --rounds 1}. Comma-separated values
 * of max-size, workers, intra-op-threads and max-wait-ms are all run (steady phase), {@code rounds} times over to
 * even out a shared machine's noise; the swap phase runs with the first combination of each engine.
 */
public final class ServingBench {

    private static final String TASK = "bench";

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int clients = Integer.parseInt(options.getOrDefault("clients", "16"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "15"));
        int swapEvery = Integer.parseInt(options.getOrDefault("swap-every", "3"));
        List<Integer> maxSizes = ints(options.getOrDefault("max-size", "32"));
        List<Integer> workers = ints(options.getOrDefault("workers", "2"));
        List<Integer> maxWaits = ints(options.getOrDefault("max-wait-ms", "2"));
        int cores = Runtime.getRuntime().availableProcessors();
        List<Integer> intraOpThreads = ints(options.getOrDefault("intra-op-threads", "1"));
        List<Integer> taskCounts = ints(options.getOrDefault("tasks", "1,10,50"));
        List<InferenceEngine> engines = Arrays.stream(options.getOrDefault("engines", "pytorch,onnx-fp32,onnx-int8")
                .split(",")).map(InferenceEngine::named).toList();
        // The raw ceiling is the best of one thread and all cores per forward pass, whatever the service uses.
        java.util.SortedSet<Integer> rawThreads = new java.util.TreeSet<>(intraOpThreads);
        rawThreads.add(1);
        rawThreads.add(cores);
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "1"));
        List<String> texts = texts(2000);
        Path dir = Files.createTempDirectory("serving-bench");
        home = dir;
        StringBuilder report = new StringBuilder();

        List<Path> adapters = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            adapters.add(TestAdapters.create(TestAdapters.store(dir), "a" + i, TestAdapters.SENTIMENT, 11 + i));
        }
        if (Boolean.parseBoolean(options.getOrDefault("many-tasks", "false"))) {
            if (engines.size() != 1) {
                throw new IllegalArgumentException("--many-tasks measures one engine per run (--engines X): memory "
                        + "figures are only clean in a JVM that ran nothing else");
            }
            String table = manyTasks(dir, engines.get(0), maxSizes.get(0), workers.get(0), intraOpThreads.get(0),
                    maxWaits.get(0), adapters.get(0), texts, clients, seconds, taskCounts);
            System.out.println();
            System.out.println("==== Serving benchmark ====");
            System.out.print(table);
            System.exit(0);
        }
        report.append(String.format(Locale.ROOT, "Raw forward: TextClassifier.predict, %s, 2 labels, texts of "
                + "%d-%d words (mean %.1f), %d cores%n", TestAdapters.base().id(),
                texts.stream().mapToInt(ServingBench::words).min().orElse(0),
                texts.stream().mapToInt(ServingBench::words).max().orElse(0),
                texts.stream().mapToInt(ServingBench::words).average().orElse(0), cores));
        report.append(String.format(Locale.ROOT, "%-10s %8s %8s %12s %12s %8s%n", "engine", "threads", "batch",
                "ms/call", "texts/s", "others"));
        Map<InferenceEngine, Double> ceilings = new java.util.EnumMap<>(InferenceEngine.class);
        Map<InferenceEngine, String> ceilingAt = new java.util.EnumMap<>(InferenceEngine.class);
        String agreement = "";
        try (TextClassifier classifier = TextClassifier.load(TestAdapters.base(), adapters.get(0))) {
            for (InferenceEngine engine : engines) {
                for (int threads : rawThreads) {
                    JniUtils.setNumThreads(threads);
                    try (RawEngine raw = RawEngine.of(classifier, engine, threads)) {
                        for (int batch : new int[] {1, 8, 16, 32, 64}) {
                            CpuShare cpu = CpuShare.start();
                            double ms = forward(raw::predict, texts, batch);
                            double perSecond = batch / (ms / 1e3);
                            report.append(String.format(Locale.ROOT, "%-10s %8d %8d %12.2f %12.1f %7.0f%%%n",
                                    engine.configName(), threads, batch, ms, perSecond, 100 * cpu.others()));
                            if (perSecond > ceilings.getOrDefault(engine, 0.0)) {
                                ceilings.put(engine, perSecond);
                                ceilingAt.put(engine, "batch " + batch + ", " + threads + " threads");
                            }
                        }
                    }
                }
            }
            agreement = agreement(classifier, texts.subList(0, 512));
        }
        for (InferenceEngine engine : engines) {
            report.append(String.format(Locale.ROOT, "best %-10s %s, %.1f texts/s (%.2fx pytorch's)%n",
                    engine.configName(), ceilingAt.get(engine), ceilings.get(engine),
                    ceilings.get(engine) / ceilings.getOrDefault(InferenceEngine.PYTORCH, Double.NaN)));
        }
        report.append(agreement).append('\n');
        double best = ceilings.get(engines.get(0));
        System.out.print(report);

        if (Boolean.parseBoolean(options.getOrDefault("raw-only", "false"))) {
            System.exit(0);
        }
        try (LocalKafkaBroker broker = benchBroker(dir, adapters.get(0))) {
            report.append(String.format(Locale.ROOT, "Service: %d clients, one text per call, %d s per phase "
                    + "(after 3 s warm-up), broker in its own process, prediction log on%n", clients, seconds));
            report.append(String.format(Locale.ROOT, "%-58s %8s %8s %7s %7s %7s %6s %7s %6s %8s %8s %7s%n", "phase",
                    "calls/s", "texts/s", "p50 ms", "p99 ms", "max ms", "batch", "fwd ms", "failed", "vs raw",
                    "clients", "others"));
            Map<InferenceEngine, Phase> steadyOfFirst = new java.util.EnumMap<>(InferenceEngine.class);
            Map<InferenceEngine, Phase> swapsOf = new java.util.EnumMap<>(InferenceEngine.class);
            Map<InferenceEngine, Double> swapMillis = new java.util.EnumMap<>(InferenceEngine.class);
            for (int round = 0; round < rounds; round++) {
                for (InferenceEngine engine : engines) {
                    double ceiling = ceilings.get(engine);
                    for (int maxSize : maxSizes) {
                        for (int workerCount : workers) {
                            for (int threads : intraOpThreads) {
                                for (int maxWait : maxWaits) {
                                    String setting = engine.configName() + ", size " + maxSize + ", workers "
                                            + workerCount + ", threads " + threads + ", wait " + maxWait + "ms";
                                    try (ApplicationContext context = start(broker.bootstrapServers(), engine,
                                            maxSize, workerCount, threads, maxWait)) {
                                        Http http = new Http(context.getBean(EmbeddedServer.class).getURL().toString());
                                        if (http.awaitOk("/health/readiness", Duration.ofSeconds(90)).status() != 200) {
                                            throw new IllegalStateException("service not ready");
                                        }
                                        MeterRegistry meters = context.getBean(MeterRegistry.class);
                                        run(http, texts, clients, 3, null, meters); // warm-up
                                        Phase steady = run(http, texts, clients, seconds, null, meters);
                                        report.append(steady.row("steady, " + setting, ceiling));
                                        System.out.print(steady.row("steady, " + setting, ceiling));
                                        if (!steadyOfFirst.containsKey(engine)) {
                                            steadyOfFirst.put(engine, steady);
                                            Runnable swapper = swapper(broker.bootstrapServers(), adapters, swapEvery);
                                            Timer loads = meters.find("serving.adapter.load").tag("task", TASK).timer();
                                            double loadMillis0 = loads == null ? 0 : loads.totalTime(TimeUnit.MILLISECONDS);
                                            long loadCount0 = loads == null ? 0 : loads.count();
                                            Phase swaps = run(http, texts, clients, seconds, swapper, meters);
                                            swapsOf.put(engine, swaps);
                                            loads = meters.find("serving.adapter.load").tag("task", TASK).timer();
                                            if (loads != null && loads.count() > loadCount0) {
                                                swapMillis.put(engine, (loads.totalTime(TimeUnit.MILLISECONDS)
                                                        - loadMillis0) / (loads.count() - loadCount0));
                                            }
                                            String label = "swaps every " + swapEvery + " s, " + setting;
                                            report.append(swaps.row(label, ceiling));
                                            System.out.print(swaps.row(label, ceiling));
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            report.append(String.format(Locale.ROOT, "%n%-10s %14s %12s %12s %14s %14s %8s %10s%n", "engine",
                    "service tx/s", "vs own raw", "vs pytorch", "p99 steady ms", "p99 swaps ms", "failed",
                    "swap ms"));
            Phase torchSteady = steadyOfFirst.get(InferenceEngine.PYTORCH);
            for (InferenceEngine engine : engines) {
                Phase steady = steadyOfFirst.get(engine);
                Phase swaps = swapsOf.get(engine);
                report.append(String.format(Locale.ROOT, "%-10s %14.1f %11.0f%% %11.2fx %14.1f %14.1f %8d %10.0f%n",
                        engine.configName(), steady.textsPerSecond(), 100 * steady.textsPerSecond()
                                / ceilings.get(engine),
                        torchSteady == null ? Double.NaN : steady.textsPerSecond() / torchSteady.textsPerSecond(),
                        steady.p99(), swaps.p99(), steady.failed() + swaps.failed(),
                        swapMillis.getOrDefault(engine, Double.NaN)));
            }
            report.append("(first setting of each engine; swap ms: mean time to load, compile and warm a deployed "
                    + "adapter, from serving.adapter.load)\n");

        }
        System.out.println();
        System.out.println("==== Serving benchmark ====");
        report.append("(clients: share of the cores the load generator's own threads used (same machine); others: "
                + "share used by other processes, e.g. concurrent builds: figures taken while it is high understate "
                + "this service)\n");
        System.out.print(report);
        System.exit(0); // the bundled base model and HTTP client pools have non-daemon threads
    }

    private record Phase(int calls, int texts, double seconds, long[] sortedNanos, int failed, double meanBatch,
                         double meanForwardMillis, int swaps, double others, double clientsShare) {
        double textsPerSecond() {
            return texts / seconds;
        }

        double p99() {
            return percentile(99);
        }

        double percentile(double p) {
            if (sortedNanos.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(p / 100.0 * sortedNanos.length) - 1;
            return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, index))] / 1e6;
        }

        String row(String name, double rawBest) {
            return String.format(Locale.ROOT, "%-58s %8.1f %8.1f %7.1f %7.1f %7.1f %6.1f %7.1f %6d %7.0f%% %7.0f%% %6.0f%%%n",
                    name, calls / seconds, textsPerSecond(), percentile(50), percentile(99), percentile(100),
                    meanBatch, meanForwardMillis, failed, 100 * textsPerSecond() / rawBest, 100 * clientsShare,
                    100 * others);
        }
    }

    private static Phase run(Http http, List<String> texts, int clients, int seconds, Runnable sideJob,
                             MeterRegistry meters) throws InterruptedException {
        return run(http, List.of(TASK), texts, clients, seconds, sideJob, meters);
    }

    /** Clients spread their calls over {@code tasks}: each call goes to the next task. */
    private static Phase run(Http http, List<String> tasks, List<String> texts, int clients, int seconds,
                             Runnable sideJob, MeterRegistry meters) throws InterruptedException {
        long batchCount0 = batchCount(meters);
        double batchTotal0 = batchTotal(meters);
        double forwardTotal0 = forwardMillis(meters);
        CpuShare cpu = CpuShare.start();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger swaps = new AtomicInteger();
        List<long[]> perClient = new ArrayList<>();
        java.util.concurrent.atomic.AtomicLong clientCpuNanos = new java.util.concurrent.atomic.AtomicLong();
        List<Thread> threads = new ArrayList<>();
        long started = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            long[] latencies = new long[200_000];
            perClient.add(latencies);
            int client = c;
            Thread thread = new Thread(() -> {
                int i = client * 997;
                int n = 0;
                while (!stop.get() && n < latencies.length - 1) {
                    String body = Http.json(Map.of("text", texts.get(i++ % texts.size())));
                    long t0 = System.nanoTime();
                    Http.Answer answer;
                    try {
                        answer = http.post("/v1/tasks/" + tasks.get((client + n) % tasks.size()) + "/predict", body);
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                        continue;
                    }
                    latencies[++n] = System.nanoTime() - t0;
                    latencies[0] = n;
                    if (answer.status() != 200) {
                        failed.incrementAndGet();
                    }
                }
                clientCpuNanos.addAndGet(java.lang.management.ManagementFactory.getThreadMXBean()
                        .getCurrentThreadCpuTime());
            }, "bench-client-" + c);
            threads.add(thread);
            thread.start();
        }
        Thread side = null;
        if (sideJob != null) {
            side = new Thread(() -> {
                while (!stop.get()) {
                    sideJob.run();
                    swaps.incrementAndGet();
                }
            }, "bench-swapper");
            side.start();
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        double others = cpu.others();
        if (side != null) {
            side.interrupt();
            side.join();
        }
        int calls = 0;
        for (long[] l : perClient) {
            calls += (int) l[0];
        }
        long[] all = new long[calls];
        int k = 0;
        for (long[] l : perClient) {
            System.arraycopy(l, 1, all, k, (int) l[0]);
            k += (int) l[0];
        }
        Arrays.sort(all);
        long batchCount = batchCount(meters) - batchCount0;
        double meanBatch = batchCount == 0 ? Double.NaN : (batchTotal(meters) - batchTotal0) / batchCount;
        double meanForward = batchCount == 0 ? Double.NaN : (forwardMillis(meters) - forwardTotal0) / batchCount;
        double clientsShare = clientCpuNanos.get() / 1e9 / elapsed / Runtime.getRuntime().availableProcessors();
        return new Phase(calls, calls, elapsed, all, failed.get(), meanBatch, meanForward, swaps.get(), others,
                clientsShare);
    }

    /**
     * The service on one engine in a fresh broker, grown to each of {@code counts} tasks (each its own deployment);
     * memory and latency with the clients' calls spread over all of them.
     */
    private static String manyTasks(Path dir, InferenceEngine engine, int maxSize, int workers, int threads,
            int maxWait, Path adapter, List<String> texts, int clients, int seconds, List<Integer> counts)
            throws Exception {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "Many tasks in one process (%s): each "
                + "call goes to the next task, %d clients, %d s per row; RSS of the whole bench JVM after a GC%n"
                + "%-10s %6s %9s %14s %9s %8s %8s %6s%n", engine.configName(), clients, seconds, "engine", "tasks",
                "RSS MiB", "MiB/extra task", "calls/s", "p50 ms", "p99 ms", "failed"));
        try (LocalKafkaBroker broker = benchBroker(dir, adapter)) {
            try (ApplicationContext context = start(broker.bootstrapServers(), engine, maxSize, workers, threads,
                    maxWait)) {
                Http http = new Http(context.getBean(EmbeddedServer.class).getURL().toString());
                if (http.awaitOk("/health/readiness", Duration.ofSeconds(90)).status() != 200) {
                    throw new IllegalStateException("service not ready");
                }
                MeterRegistry meters = context.getBean(MeterRegistry.class);
                run(http, texts, clients, 3, null, meters); // warm-up
                List<String> served = List.of(TASK);
                double rss = rssMiB();
                int before = 1;
                for (int count : counts) {
                    served = growTasks(broker.bootstrapServers(), http, adapter,
                            served, count);
                    double grown = rssMiB();
                    Phase spread = run(http, served, texts, clients, seconds, null, meters);
                    String row = String.format(Locale.ROOT,
                            "%-10s %6d %9.0f %14s %9.1f %8.1f %8.1f %6d%n",
                            engine.configName(), count, grown, count == before ? "-"
                                    : String.format(Locale.ROOT, "%.1f",
                                    (grown - rss) / (count - before)),
                            spread.textsPerSecond(), spread.percentile(50), spread.p99(),
                            spread.failed());
                    table.append(row);
                    System.out.print(row);
                    rss = grown;
                    before = count;
                }
            }
        }
        return table.toString();
    }

    /** A broker in its own process with the topics, the bench task and its first deployment ({@code a0}). */
    private static LocalKafkaBroker benchBroker(Path dir, Path adapter) throws Exception {
        LocalKafkaBroker broker = LocalKafkaBroker.start(dir.resolve("kafka"), freePort(), "512m");
        try {
            new TopicProvisioner(KafkaConnection.plaintext(broker.bootstrapServers())).ensureAll();
            TestAdapters.defineTasks(broker.bootstrapServers(), dev.streamtune.contract.TaskCatalogue.newTask(TASK,
                    TestAdapters.SENTIMENT, "bench", java.time.Instant.now()));
            try (KafkaProducer<byte[], byte[]> producer = producer(broker.bootstrapServers())) {
                TestAdapters.send(producer, Topics.DEPLOYMENTS, TASK, TestAdapters.deployment(TASK, "a0", adapter,
                        null));
            }
            return broker;
        } catch (Exception | Error e) {
            broker.close();
            throw e;
        }
    }

    /** Micro-batches run so far, over every task. */
    private static long batchCount(MeterRegistry meters) {
        return meters.find("serving.batch.size").summaries().stream().mapToLong(DistributionSummary::count).sum();
    }

    private static double batchTotal(MeterRegistry meters) {
        return meters.find("serving.batch.size").summaries().stream().mapToDouble(DistributionSummary::totalAmount)
                .sum();
    }

    private static double forwardMillis(MeterRegistry meters) {
        return meters.find("serving.forward.latency").timers().stream()
                .mapToDouble(t -> t.totalTime(TimeUnit.MILLISECONDS)).sum();
    }

    /** Resident memory of this process (service and load generator), after a GC, in MiB. */
    private static double rssMiB() throws java.io.IOException {
        System.gc();
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    /**
     * Grows the service to {@code count} tasks ({@code many-0} ... ), each with its own deployment of the same
     * adapter file (each is loaded and compiled on its own, as distinct adapters would be), and waits until all
     * answer.
     */
    private static List<String> growTasks(String bootstrap, Http http, Path adapter, List<String> tasks, int count)
            throws InterruptedException {
        List<String> grown = new ArrayList<>(tasks);
        List<dev.streamtune.schema.TaskDefinition> definitions = new ArrayList<>();
        for (int i = tasks.size(); i < count; i++) {
            grown.add("many-" + i);
            definitions.add(dev.streamtune.contract.TaskCatalogue.newTask("many-" + i, TestAdapters.SENTIMENT, "bench",
                    java.time.Instant.now()));
        }
        if (!definitions.isEmpty()) {
            TestAdapters.defineTasks(bootstrap, definitions.toArray(dev.streamtune.schema.TaskDefinition[]::new));
            try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
                for (String task : grown.subList(tasks.size(), grown.size())) {
                    TestAdapters.send(producer, Topics.DEPLOYMENTS, task,
                            TestAdapters.deployment(task, task + "-a", adapter, null));
                }
            }
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        for (String task : grown) {
            while (http.get("/v1/tasks/" + task + "/model").status() != 200) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("task " + task + " never answered");
                }
                Thread.sleep(100);
            }
        }
        return grown;
    }

    /** Deploys the next adapter, then waits {@code every} seconds; run in a loop by the swap phase. */
    private static Runnable swapper(String bootstrap, List<Path> adapters, int every) {
        int[] next = {1};
        return () -> {
            int i = next[0]++ % adapters.size();
            try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
                TestAdapters.send(producer, Topics.DEPLOYMENTS, TASK,
                        TestAdapters.deployment(TASK, "a" + i + "-" + next[0], adapters.get(i), null));
            }
            try {
                Thread.sleep(every * 1000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /** Milliseconds per call: the best of three 1.5 s windows, so a neighbour's burst does not set the ceiling. */
    private static double forward(java.util.function.Consumer<List<String>> predict, List<String> texts, int batch) {
        Random random = new Random(batch);
        List<String> chunk = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            chunk.add(texts.get(random.nextInt(texts.size())));
        }
        for (int i = 0; i < 3; i++) {
            predict.accept(chunk);
        }
        double best = Double.MAX_VALUE;
        for (int window = 0; window < 3; window++) {
            int calls = 0;
            long started = System.nanoTime();
            while (System.nanoTime() - started < Duration.ofMillis(1500).toNanos() || calls < 3) {
                chunk.set(calls % batch, texts.get(random.nextInt(texts.size())));
                predict.accept(chunk);
                calls++;
            }
            best = Math.min(best, (System.nanoTime() - started) / 1e6 / calls);
        }
        return best;
    }

    /** One adapter on one engine, for the raw forward rows. */
    private interface RawEngine extends AutoCloseable {
        void predict(List<String> texts);

        @Override
        void close();

        static RawEngine of(TextClassifier classifier, InferenceEngine engine, int threads) {
            if (engine == InferenceEngine.PYTORCH) {
                return new RawEngine() {
                    public void predict(List<String> texts) {
                        classifier.predict(texts);
                    }

                    public void close() {
                    }
                };
            }
            OnnxClassifier onnx = OnnxClassifier.compile(classifier, engine.precision(), threads);
            return new RawEngine() {
                public void predict(List<String> texts) {
                    onnx.predict(texts);
                }

                public void close() {
                    onnx.close();
                }
            };
        }
    }

    /** How often the ONNX engines pick PyTorch's label, and their largest probability difference, on {@code texts}. */
    private static String agreement(TextClassifier classifier, List<String> texts) {
        List<Prediction> reference = classifier.predict(texts);
        StringBuilder out = new StringBuilder();
        for (InferenceEngine engine : List.of(InferenceEngine.ONNX_FP32, InferenceEngine.ONNX_INT8)) {
            long started = System.nanoTime();
            try (OnnxClassifier onnx = OnnxClassifier.compile(classifier, engine.precision(), 1)) {
                double compileMillis = (System.nanoTime() - started) / 1e6;
                List<Prediction> p = onnx.predict(texts);
                int same = 0;
                double worst = 0;
                for (int i = 0; i < texts.size(); i++) {
                    same += p.get(i).label().equals(reference.get(i).label()) ? 1 : 0;
                    float[] a = p.get(i).probabilities();
                    float[] b = reference.get(i).probabilities();
                    for (int j = 0; j < a.length; j++) {
                        worst = Math.max(worst, Math.abs(a[j] - b[j]));
                    }
                }
                out.append(String.format(Locale.ROOT, "%s vs pytorch on %d texts: same label %.1f%%, max probability "
                                + "difference %.2g; merge + compile %.0f ms, graph %.1f MB%n", engine.configName(),
                        texts.size(), 100.0 * same / texts.size(), worst, compileMillis, onnx.modelBytes() / 1e6));
            }
        }
        return out.toString();
    }

    /** The bench's STREAMTUNE_HOME: its adapters are in the store under it. */
    private static Path home;

    private static ApplicationContext start(String bootstrap, InferenceEngine engine, int maxSize, int workers,
                                            int intraOpThreads, int maxWaitMillis) {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("kafka.bootstrap-servers", bootstrap);
        props.put("streamtune.home", home.toString());
        props.putAll(TestAdapters.keys().properties(null));
        props.put("serving.batch.max-size", maxSize);
        props.put("serving.batch.workers", workers);
        props.put("serving.batch.max-wait", maxWaitMillis + "ms");
        props.put("serving.batch.intra-op-threads", intraOpThreads);
        props.put(InferenceEngine.CONFIG_KEY, engine.configName());
        return ApplicationContext.run(EmbeddedServer.class, props).getApplicationContext();
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Review-like texts of varied length, from a fixed seed. */
    static List<String> texts(int n) {
        String[] openings = {"The delivery", "Customer support", "The refund", "This product", "The app",
                "Our order", "The replacement", "Checkout", "The driver", "The invoice"};
        String[] verdicts = {"was quick and friendly", "never arrived", "took three weeks", "works exactly as described",
                "crashed twice today", "was damaged in transit", "answered within minutes", "was charged twice",
                "exceeded my expectations", "is confusing and slow"};
        String[] details = {"and I would order again", "so I asked for my money back", "even after two calls",
                "which made my week", "although the box was dented", "and the tracking page never updated",
                "but the price was fair", "so five stars from me", "and nobody replied to my emails",
                "while the packaging was lovely"};
        Random random = new Random(42);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            StringBuilder text = new StringBuilder(openings[random.nextInt(openings.length)]).append(' ')
                    .append(verdicts[random.nextInt(verdicts.length)]);
            int extra = random.nextInt(4);
            for (int j = 0; j < extra; j++) {
                text.append(", ").append(details[random.nextInt(details.length)]);
            }
            out.add(text.append('.').toString());
        }
        return out;
    }

    private static int words(String text) {
        return text.split("\\s+").length;
    }

    private static List<Integer> ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::strip).map(Integer::parseInt).toList();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static int freePort() throws java.io.IOException {
        while (true) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            try (ServerSocket controller = new ServerSocket(port + 1)) {
                return port;
            } catch (java.io.IOException busy) {
                // the controller takes port + 1; try another
            }
        }
    }
}
