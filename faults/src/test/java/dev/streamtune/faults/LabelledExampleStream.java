package dev.streamtune.faults;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamtune.contract.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * An outside producer of labelled {@code sentiment} examples at a steady rate, as a plain client would send them:
 * JSON lines on {@code examples.labelled}, keyed by example id, every text different (so de-duplication keeps them
 * all). Keeps the ids the broker acknowledged, which are exactly the ids that must each come out of ingest once.
 */
final class LabelledExampleStream implements AutoCloseable {

    static final String TASK = "sentiment";

    private static final Duration BROKER_OUTAGE_PATIENCE = Duration.ofMinutes(5);

    private final KafkaProducer<byte[], byte[]> producer;
    private final long periodNanos;
    private final ObjectMapper json = new ObjectMapper();
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final Set<String> failed = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sent = new AtomicInteger();
    private final Thread thread;
    private volatile int target;
    private volatile boolean closed;

    LabelledExampleStream(String bootstrapServers, double examplesPerSecond) {
        this.producer = new KafkaProducer<>(producerSettings(bootstrapServers), new ByteArraySerializer(),
                new ByteArraySerializer());
        this.periodNanos = (long) (1e9 / examplesPerSecond);
        this.thread = new Thread(this::run, "labelled-example-stream");
        this.thread.setDaemon(true);
    }

    /**
     * Idempotent and acks=all, like every producer here; and patient enough to ride out a broker restart, which
     * took over a minute on a loaded 2-core machine (the defaults give up after 60 s blocked in send()).
     */
    private static Properties producerSettings(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) BROKER_OUTAGE_PATIENCE.toMillis());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) BROKER_OUTAGE_PATIENCE.toMillis());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "fault-test-annotators");
        return props;
    }

    void start() {
        thread.start();
    }

    /** From now on, examples without end. */
    void flowSteadily() {
        target = Integer.MAX_VALUE;
    }

    /** Stops after the next multiple of {@code multiple} examples (so that every count window closes). */
    void stopAtMultipleOf(int multiple) {
        int next = sent.get() + 1; // the stream may be sending one right now
        target = ((next + multiple - 1) / multiple) * multiple;
    }

    /** Sends {@code count} more examples at the same rate, after those already due. */
    void produceMore(int count) {
        target = Math.max(target, sent.get()) + count;
    }

    /** Waits until every example due has been sent and answered by the broker. */
    void awaitSent(Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (sent.get() < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + sent.get() + " of " + target + " examples sent within "
                        + patience.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
        producer.flush();
    }

    int sent() {
        return sent.get();
    }

    Set<String> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    Set<String> failed() {
        return Set.copyOf(failed);
    }

    private void run() {
        long next = System.nanoTime();
        while (!closed) {
            if (sent.get() >= target) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
                next = System.nanoTime(); // idle time is not made up for with a burst
                continue;
            }
            int n = sent.get();
            String id = "ex-" + n;
            boolean positive = n % 2 == 0;
            String text = positive ? "Order " + n + " arrived early and works great"
                    : "Order " + n + " arrived broken and nobody answered";
            byte[] value;
            try {
                value = json.writeValueAsBytes(java.util.Map.of("id", id, "task", TASK, "text", text,
                        "label", positive ? "positive" : "negative"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            producer.send(new ProducerRecord<>(Topics.LABELLED_EXAMPLES.name(), id.getBytes(StandardCharsets.UTF_8),
                    value), (metadata, error) -> (error == null ? acknowledged : failed).add(id));
            sent.incrementAndGet();
            next += periodNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        producer.close(Duration.ofSeconds(10));
    }
}
