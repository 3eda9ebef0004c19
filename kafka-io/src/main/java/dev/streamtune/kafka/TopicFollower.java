package dev.streamtune.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.streamtune.contract.RecordVerifier;
import dev.streamtune.contract.TopicSpec;
import dev.streamtune.kafka.ConsumerLoop;
import dev.streamtune.kafka.KafkaClients;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TopicProvisioner;
import dev.streamtune.kafka.UnreadableRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a few topics on its own thread, from the beginning (or from a point in time), and hands each decoded value
 * to a handler, forever; {@link #caughtUp()} turns true once everything that was there at start has been handled.
 * No consumer group: every reader (each serving replica, each service following the task catalogue) needs all of
 * the state, and it is rebuilt from the topics at each start. If the connection fails it starts over where it stopped (with the loop's capped
 * backoff), so nothing is handled twice; a record the codec refuses is skipped and counted, never retried.
 * Control records (decisions, deployments) reach the handler only when validly signed by their author.
 */
public final class TopicFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);

    /** Receives the records; called on the follower's thread only. */
    public interface Handler {
        void handle(TopicSpec topic, Object value, Instant timestamp);

        /** Called once, when everything that was in the topics at start-up has been handled. */
        default void caughtUp() {
        }
    }

    private final String name;
    private final KafkaConnection kafka;
    private final List<TopicSpec> topics;
    private final Function<TopicSpec, Instant> startAt;
    private final Handler handler;
    private final RecordVerifier verifier;
    private final ConsumerLoop loop;
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private final UnreadableRecords unreadable;
    private Map<TopicPartition, Long> replayEnd;
    private long replayAsOfMillis;
    private volatile boolean caughtUp;
    /**
     * Read-your-writes: every record written before {@code readAsOf} has been handled. Moved on by a sync (end
     * offsets asked after that moment, then read up to) that the loop runs only while someone waits for a later
     * moment, so following costs nothing more when nobody asks. Guarded by {@code this}.
     */
    private long readAsOfMillis = Long.MIN_VALUE;
    private long wantedAsOfMillis = Long.MIN_VALUE;

    /**
     * @param name     who follows what, for thread, client id and log lines (e.g. "serving-deployments")
     * @param startAt  per topic, the earliest record time to read; null reads from the beginning
     * @param verifier what a record must pass before the handler sees it
     */
    public TopicFollower(String name, KafkaConnection kafka, List<TopicSpec> topics,
                         Function<TopicSpec, Instant> startAt, RecordVerifier verifier, Handler handler) {
        this.verifier = verifier;
        this.name = name;
        this.kafka = kafka;
        this.topics = List.copyOf(topics);
        this.startAt = startAt;
        this.handler = handler;
        this.unreadable = new UnreadableRecords(name);
        this.loop = ConsumerLoop.recovering(name, true, this::run);
    }

    public TopicFollower start() {
        loop.start();
        return this;
    }

    public boolean caughtUp() {
        return caughtUp;
    }

    public boolean alive() {
        return loop.alive();
    }

    /** The loop, for health: its survived faults and the one in progress. */
    public ConsumerLoop loop() {
        return loop;
    }

    /**
     * Waits until every record written to the topics before {@code moment} (at the latest, now) has been handled:
     * a writer that has had its write acknowledged, and then tells a reader, finds it read. One round trip to the
     * broker serves every waiter at once; a moment already covered answers at once.
     *
     * @return false when the follower did not get there within {@code timeout} (the broker is away)
     */
    public boolean awaitReadAsOf(Instant moment, Duration timeout) throws InterruptedException {
        long wanted = Math.min(moment.toEpochMilli(), System.currentTimeMillis());
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (readAsOfMillis < wanted) {
                wantedAsOfMillis = Math.max(wantedAsOfMillis, wanted);
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /** Records skipped because the codec refused them, per topic. */
    public Map<String, Long> skippedRecords() {
        return unreadable.skipped();
    }

    /** One attempt: connect, resume where the last one stopped, follow until stopped or a fault. */
    private void run() {
        new TopicProvisioner(this.kafka).ensureAll();
        try (KafkaConsumer<byte[], byte[]> kafka = newConsumer()) {
            loop.polling(kafka);
            List<TopicPartition> partitions = assign(kafka);
            if (replayEnd == null) {
                replayAsOfMillis = System.currentTimeMillis();
                replayEnd = kafka.endOffsets(partitions);
            }
            loop.progressed();
            Map<TopicPartition, Long> syncEnd = null;
            long syncAsOf = 0;
            while (loop.running()) {
                if (syncEnd == null && syncWanted()) {
                    syncAsOf = System.currentTimeMillis(); // before asking: what was acknowledged by now is included
                    syncEnd = kafka.endOffsets(partitions);
                }
                var records = kafka.poll(syncEnd == null ? Duration.ofMillis(500) : Duration.ofMillis(20));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    handle(record);
                    // past every record, handled, failed or unreadable alike: none can block a restart
                    positions.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                }
                if (!records.isEmpty()) {
                    loop.progressed();
                }
                if (!caughtUp && replayed(kafka, replayEnd)) {
                    caughtUp = true;
                    LOG.info("{}: replayed {}", name, topics.stream().map(TopicSpec::name).toList());
                    handler.caughtUp();
                    readAsOf(replayAsOfMillis); // the start-up replay is itself a sync
                }
                if (syncEnd != null && replayed(kafka, syncEnd)) {
                    readAsOf(syncAsOf);
                    syncEnd = null;
                }
            }
        }
    }

    private List<TopicPartition> assign(KafkaConsumer<byte[], byte[]> kafka) {
        List<TopicPartition> partitions = new ArrayList<>();
        Map<TopicPartition, Long> fromTime = new HashMap<>();
        for (TopicSpec topic : topics) {
            Instant from = startAt.apply(topic);
            kafka.partitionsFor(topic.name()).forEach(p -> {
                TopicPartition tp = new TopicPartition(p.topic(), p.partition());
                partitions.add(tp);
                if (from != null) {
                    fromTime.put(tp, from.toEpochMilli());
                }
            });
        }
        kafka.assign(partitions);
        List<TopicPartition> fromStart = new ArrayList<>();
        Map<TopicPartition, OffsetAndTimestamp> found = fromTime.isEmpty() ? Map.of() : kafka.offsetsForTimes(fromTime);
        for (TopicPartition tp : partitions) {
            Long resume = positions.get(tp);
            if (resume != null) {
                kafka.seek(tp, resume);
            } else if (fromTime.containsKey(tp)) {
                OffsetAndTimestamp at = found.get(tp);
                if (at == null) {
                    kafka.seekToEnd(List.of(tp)); // nothing that recent
                } else {
                    kafka.seek(tp, at.offset());
                }
            } else {
                fromStart.add(tp);
            }
        }
        kafka.seekToBeginning(fromStart);
        return partitions;
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        TopicSpec topic = topics.stream().filter(t -> t.name().equals(record.topic())).findFirst().orElseThrow();
        // feedback.events also takes JSON lines from plain clients; ingest reads those, the dashboard skips them
        Object value = unreadable.decode(topic, record).orElse(null);
        if (value == null) {
            return; // a tombstone, or a record the codec refused (counted)
        }
        if (!verifier.admits(record.topic(), value, record.partition() + "@" + record.offset())) {
            return;
        }
        try {
            handler.handle(topic, value, Instant.ofEpochMilli(record.timestamp()));
        } catch (RuntimeException e) {
            LOG.warn("{}: handling {}-{}@{} failed; skipping it", name, record.topic(), record.partition(),
                    record.offset(), e);
        }
    }

    private synchronized boolean syncWanted() {
        return wantedAsOfMillis > readAsOfMillis;
    }

    private synchronized void readAsOf(long millis) {
        readAsOfMillis = Math.max(readAsOfMillis, millis);
        notifyAll();
    }

    private static boolean replayed(KafkaConsumer<?, ?> kafka, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> kafka.position(e.getKey()) >= e.getValue());
    }

    private KafkaConsumer<byte[], byte[]> newConsumer() {
        // read_committed: the evaluator writes decisions and deployments in transactions; never act on an aborted one.
        return KafkaClients.assignedConsumer(kafka, name);
    }

    @Override
    public void close() {
        loop.stop(Duration.ofSeconds(30));
    }
}
