package dev.streamtune.ingest.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import dev.streamtune.contract.AvroCodec;
import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.contract.Topics;
import dev.streamtune.ingest.IngestTopology;
import dev.streamtune.ingest.config.IngestConfig;
import dev.streamtune.ingest.config.IngestSettings;
import dev.streamtune.ingest.config.StreamsProperties;
import dev.streamtune.ingest.metrics.IngestMetrics;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TopicProvisioner;
import dev.streamtune.localkafka.LocalKafkaBroker;
import dev.streamtune.schema.LabelledExample;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * Sustained throughput of the full ingest topology against the pipe's ceiling, on one broker in one run.
 *
 * <p>A single-node broker runs in its own process (LocalKafkaBroker, from the Maven-resolved Kafka jars), so it
 * does not share this JVM's heap, GC or JIT with what is measured; it does share the machine's cores. N records
 * (half JSON lines, half Avro; realistic texts, 1 in 20 with an e-mail, 1 in 20 with a phone number) are loaded
 * into examples.labelled. Then, each on the same N records:
 * <ol>
 *   <li>ceiling: a plain KafkaConsumer reads the whole topic; two passes, the faster counts;</li>
 *   <li>framework floor: Kafka Streams with nothing of ours (bytes re-keyed, repartitioned and written, same
 *       exactly-once settings): what any topology of this shape can reach on this machine;</li>
 *   <li>topology: {@link IngestTopology} with the service's own Kafka Streams settings ({@link StreamsProperties}:
 *       exactly_once_v2, commit interval, producer batching); two passes with fresh application ids (the first
 *       warms the JIT, as the ceiling's first pass does), the faster counts. Timed from {@code start()} until a
 *       read_committed consumer has seen the N-th example on examples.clean.</li>
 * </ol>
 * CPU time of this JVM plus the broker process is reported per event too: on a shared machine it is steadier
 * than wall-clock rates. Usage: {@code bench/run.sh ingest [records] [stream threads] [commit interval ms]};
 * {@code -Dstreams.<kafka streams property>=...} in BENCH_JAVA_OPTS overrides a setting;
 * {@code -Dbench.metrics=true} / {@code -Dbench.threads=true} print Kafka Streams thread ratios / CPU per thread.
 */
public final class IngestBench {

    private static final String TASK = "sentiment";
    private static final String PASS_THROUGH_OUT = "bench.pass-through";

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        long commitMs = args.length > 2 ? Long.parseLong(args[2]) : 1000;
        Path home = Files.createTempDirectory("ingest-bench");
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(home.resolve("kafka"), LocalKafkaBroker.freePortPair(), "1g")) {
            String bootstrap = broker.bootstrapServers();
            new TopicProvisioner(KafkaConnection.plaintext(bootstrap)).ensureAll();
            System.out.printf(Locale.ROOT, "broker: separate process at %s; %d cores%n", bootstrap,
                    Runtime.getRuntime().availableProcessors());

            long bytes = load(bootstrap, records);
            System.out.printf(Locale.ROOT, "loaded %,d records (%,d bytes, %.0f bytes/record; half JSON, half Avro)"
                    + " into %s%n", records, bytes, (double) bytes / records, Topics.LABELLED_EXAMPLES.name());

            CpuClock cpu = new CpuClock(bootstrap);
            double ceiling = 0;
            double ceilingCpu = Double.MAX_VALUE;
            for (int pass = 1; pass <= 2; pass++) {
                cpu.start();
                double rate = plainConsumer(bootstrap, records);
                double cpuUs = cpu.microsPerEvent(records);
                System.out.printf(Locale.ROOT, "ceiling pass %d: plain consumer %,.0f events/s, %.2f CPU-us/event"
                        + " (this JVM + broker)%n", pass, rate, cpuUs);
                ceiling = Math.max(ceiling, rate);
                ceilingCpu = Math.min(ceilingCpu, cpuUs);
            }

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic(PASS_THROUGH_OUT, 3, (short) 1))).all().get();
            }
            cpu.start();
            Result floor = run(passThrough(), "bench-pass-through", PASS_THROUGH_OUT, bootstrap,
                    home.resolve("state"), records, threads, commitMs);
            double floorCpu = cpu.microsPerEvent(records);
            System.out.printf(Locale.ROOT, "framework floor (pass-through + repartition, EOS): %,.0f events/s, "
                    + "%.2f CPU-us/event%n", records / floor.seconds, floorCpu);

            // The task as the catalogue would define it (built-in policies); the topology reads it per record.
            IngestSettings settings = IngestSettings.builtIn();
            TaskCatalogue catalogue = TaskCatalogue.of(TaskCatalogue.newTask(TASK, List.of("negative", "positive"),
                    "bench", Instant.now()));
            double best = 0;
            double bestSteady = 0;
            double bestCpu = Double.MAX_VALUE;
            for (int pass = 1; pass <= 2; pass++) {
                // A fresh application id each pass: the whole input again, from empty state.
                cpu.start();
                Result topology = run(new IngestTopology(settings, () -> catalogue, IngestMetrics.none()).build(),
                        "ingest-bench-" + pass, Topics.CLEAN_EXAMPLES.name(), bootstrap,
                        home.resolve("state"), records, threads, commitMs);
                double topologyCpu = cpu.microsPerEvent(records);
                System.out.printf(Locale.ROOT, "topology pass %d: %,d events in %.2f s from start() = %,.0f "
                                + "events/s (first to last output: %,.0f events/s), %.2f CPU-us/event%n", pass,
                        records, topology.seconds, records / topology.seconds, topology.steadyRate, topologyCpu);
                best = Math.max(best, records / topology.seconds);
                bestSteady = Math.max(bestSteady, topology.steadyRate);
                bestCpu = Math.min(bestCpu, topologyCpu);
            }
            System.out.printf(Locale.ROOT, "settings: %d stream thread(s), commit %d ms, exactly_once_v2%n",
                    threads, commitMs);
            System.out.printf(Locale.ROOT, "RESULT ceiling=%.0f topology=%.0f ratio=%.1f%% (first-to-last-output "
                            + "%.1f%%); framework floor=%.0f (topology is %.0f%% of it); CPU-us/event: ceiling "
                            + "%.2f, floor %.2f, topology %.2f; load average %.1f%n",
                    ceiling, best, 100 * best / ceiling, 100 * bestSteady / ceiling, records / floor.seconds,
                    100 * best / (records / floor.seconds), ceilingCpu, floorCpu, bestCpu,
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        } finally {
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Realistic examples: 8-40 Zipf-distributed words, a unique marker, some e-mails and phone numbers. */
    private static long load(String bootstrap, int records) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        SplittableRandom random = new SplittableRandom(42);
        String[] vocabulary = vocabulary(random, 3000);
        AvroCodec<LabelledExample> avro = AvroCodec.of(LabelledExample.class);
        long now = System.currentTimeMillis();
        long bytes = 0;
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                StringBuilder text = new StringBuilder();
                int words = 8 + random.nextInt(33);
                for (int w = 0; w < words; w++) {
                    text.append(vocabulary[zipf(random, vocabulary.length)]).append(' ');
                }
                if (i % 20 == 0) {
                    text.append("mail me at user").append(i).append("@example.com ");
                } else if (i % 20 == 1) {
                    text.append("call +44 20 7946 ").append(1000 + i % 9000).append(' ');
                }
                text.append("#").append(i);
                String id = "bench-" + i;
                String label = random.nextInt(3) == 0 ? "negative" : "positive";
                byte[] value = i % 2 == 0
                        ? json(id, text.toString(), label, i % 4 == 0 ? "en-GB" : "fr-FR")
                        : avro.encode(LabelledExample.newBuilder().setId(id).setTask(TASK).setText(text.toString())
                        .setLabel(label).setSource("bench").setEventTime(Instant.ofEpochMilli(now))
                        .setAttributes(Map.of("locale", i % 3 == 0 ? "en-US" : "de-DE")).setWeight(null).build());
                bytes += value.length;
                producer.send(new ProducerRecord<>(Topics.LABELLED_EXAMPLES.name(), id.getBytes(), value));
            }
            producer.flush();
        }
        return bytes;
    }

    private static byte[] json(String id, String text, String label, String locale) {
        return ("{\"id\":\"" + id + "\",\"task\":\"" + TASK + "\",\"text\":\"" + text + "\",\"label\":\"" + label
                + "\",\"source\":\"bench\",\"attributes\":{\"locale\":\"" + locale + "\"}}\n").getBytes();
    }

    private static double plainConsumer(String bootstrap, int records) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = partitions(consumer, Topics.LABELLED_EXAMPLES.name());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long start = System.nanoTime();
            long seen = 0;
            long checksum = 0;
            while (seen < records) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    seen++;
                    checksum += record.value().length; // touch every record, as a real consumer would
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (checksum == 0) {
                throw new IllegalStateException("read nothing");
            }
            return seen / seconds;
        }
    }

    private record Result(double seconds, double steadyRate) {
    }

    /**
     * CPU time of this JVM plus the broker process: on a shared machine, events per CPU-second are steadier than
     * events per wall-clock second.
     */
    private static final class CpuClock {
        private final java.lang.management.OperatingSystemMXBean os =
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        private final Path brokerStat;
        private long startNanos;
        private long startOwn;

        CpuClock(String bootstrap) throws IOException {
            String port = bootstrap.substring(bootstrap.lastIndexOf(':') + 1);
            Path found = null;
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path proc : (Iterable<Path>) procs::iterator) {
                    try {
                        String cmdline = Files.readString(proc.resolve("cmdline")).replace('\0', ' ');
                        if (cmdline.contains("kafka.Kafka") && Files.readString(Path.of(cmdline.substring(
                                cmdline.lastIndexOf(' ', cmdline.length() - 2) + 1).strip())).contains(":" + port)) {
                            found = proc.resolve("stat");
                        }
                    } catch (IOException | RuntimeException notThisOne) {
                        // not a process we can read, or not the broker
                    }
                }
            }
            brokerStat = found;
        }

        void start() {
            startNanos = total();
            startOwn = own();
        }

        double microsPerEvent(long events) {
            long all = total() - startNanos;
            long own = own() - startOwn;
            System.out.printf(Locale.ROOT, "  CPU: this JVM %.2f s, broker %s%n", own / 1e9,
                    brokerStat == null ? "not found" : String.format(Locale.ROOT, "%.2f s", (all - own) / 1e9));
            return all / 1e3 / events;
        }

        private long own() {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        }

        private long total() {
            long own = own();
            if (brokerStat == null) {
                return own;
            }
            try {
                String[] fields = Files.readString(brokerStat).substring(
                        Files.readString(brokerStat).lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
                return own + ticks * 10_000_000L; // 100 ticks per second
            } catch (IOException e) {
                return own;
            }
        }
    }

    /** Kafka Streams with nothing of ours: bytes in, re-keyed, repartitioned, bytes out. The framework's floor. */
    static Topology passThrough() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(Topics.LABELLED_EXAMPLES.name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .selectKey((key, value) -> TASK)
                .repartition(Repartitioned.with(Serdes.String(), Serdes.ByteArray()).withName("by-task"))
                .to(PASS_THROUGH_OUT, Produced.with(Serdes.String(), Serdes.ByteArray()));
        return builder.build();
    }

    private static Result run(Topology topology, String applicationId, String outputTopic, String bootstrap,
                              Path stateDir, int records, int threads, long commitMs) {
        // The service's own Kafka Streams settings (StreamsProperties), with the bench's overrides.
        Map<String, String> extra = new HashMap<>();
        System.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith("streams.")) {
                extra.put(k.toString().substring("streams.".length()), v.toString());
            }
        });
        IngestConfig config = new IngestConfig(applicationId, stateDir.toString(), Duration.ofMillis(commitMs),
                threads, 1, IngestSettings.DEFAULT_WINDOW_CHECK_INTERVAL,
                IngestSettings.DEFAULT_DEDUPE_PURGE_INTERVAL, IngestSettings.DEFAULT_DEAD_LETTER_MAX_BYTES,
                IngestSettings.DEFAULT_MAX_TEXT_CHARS, extra, null);
        Properties props = StreamsProperties.from(config, KafkaConnection.plaintext(bootstrap));
        if (!extra.isEmpty() && applicationId.endsWith("-1")) {
            System.out.println("extra Streams properties: " + extra);
        }

        Properties counting = new Properties();
        counting.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        counting.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(counting, new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaStreams streams = new KafkaStreams(topology, props)) {
            List<TopicPartition> partitions = partitions(consumer, outputTopic);
            consumer.assign(partitions);
            consumer.seekToEnd(partitions); // count only this run's outputs
            partitions.forEach(consumer::position);
            long start = System.nanoTime();
            streams.start();
            long seen = 0;
            long first = 0;
            long deadline = start + Duration.ofMinutes(10).toNanos();
            while (seen < records) {
                int n = consumer.poll(Duration.ofMillis(50)).count();
                if (n > 0 && first == 0) {
                    first = System.nanoTime();
                }
                seen += n;
                if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
                    throw new IllegalStateException("topology stalled at " + seen + " of " + records
                            + " (state " + streams.state() + ")");
                }
            }
            long end = System.nanoTime();
            if (Boolean.getBoolean("bench.threads")) {
                var threadsBean = java.lang.management.ManagementFactory.getThreadMXBean();
                Map<String, Long> byName = new HashMap<>();
                for (long id : threadsBean.getAllThreadIds()) {
                    var info = threadsBean.getThreadInfo(id);
                    long cpuNanos = threadsBean.getThreadCpuTime(id);
                    if (info != null && cpuNanos > 0) {
                        byName.merge(info.getThreadName().replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "*")
                                .replaceAll("\\d+$", "N"), cpuNanos, Long::sum);
                    }
                }
                long gcMillis = java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
                System.out.printf(Locale.ROOT, "  GC time (whole run) %.2f s, JIT compile time (whole run) %.2f s%n",
                        gcMillis / 1e3, java.lang.management.ManagementFactory.getCompilationMXBean()
                                .getTotalCompilationTime() / 1e3);
                byName.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(10)
                        .forEach(e -> System.out.printf(Locale.ROOT, "  thread %-70s %.2f s%n", e.getKey(),
                                e.getValue() / 1e9));
            }
            if (Boolean.getBoolean("bench.metrics")) {
                streams.metrics().forEach((name, metric) -> {
                    if (name.group().equals("stream-thread-metrics") && !name.name().endsWith("-total")
                            || name.name().equals("records-lag-max") && name.tags().isEmpty()) {
                        System.out.println("  " + name.name() + " = " + metric.metricValue());
                    }
                });
            }
            if (consumer.poll(Duration.ofSeconds(3)).count() > 0) {
                throw new IllegalStateException("more outputs than inputs: something was doubled");
            }
            return new Result((end - start) / 1e9, records / ((end - first) / 1e9));
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic)) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        return partitions;
    }

    private static String[] vocabulary(SplittableRandom random, int size) {
        String[] words = new String[size];
        String letters = "etaoinshrdlcumwfgypbvkjxqz";
        for (int i = 0; i < size; i++) {
            StringBuilder word = new StringBuilder();
            int length = 2 + random.nextInt(8);
            for (int c = 0; c < length; c++) {
                word.append(letters.charAt((int) Math.min(letters.length() - 1, Math.abs(random.nextGaussian()) * 7)));
            }
            words[i] = word.toString();
        }
        return words;
    }

    /** Roughly Zipf: rank r with probability ~ 1/r. */
    private static int zipf(SplittableRandom random, int n) {
        return (int) Math.min(n - 1, Math.floor(Math.exp(random.nextDouble() * Math.log(n))) - 1);
    }
}
