package dev.streamtune.serving.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.streamtune.contract.ConsumerLoop;
import dev.streamtune.contract.KafkaClients;
import dev.streamtune.contract.KafkaConnection;
import dev.streamtune.contract.RecordDecodingException;
import dev.streamtune.contract.TopicProvisioner;
import dev.streamtune.contract.TopicSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a few topics on its own thread, from the beginning (or from a point in time), and hands each decoded value
 * to a handler, forever. No consumer group: every serving replica needs all of the state, and it is rebuilt from
 * the topics at each start. If the connection fails it starts over where it stopped, so nothing is handled twice.
 */
public final class TopicFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);
    private static final Duration RETRY = Duration.ofSeconds(2);

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
    private final ConsumerLoop loop;
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private long unreadable;
    private volatile boolean caughtUp;

    /**
     * @param startAt per topic, the earliest record time to read; null reads from the beginning
     */
    public TopicFollower(String name, KafkaConnection kafka, List<TopicSpec> topics,
                         Function<TopicSpec, Instant> startAt, Handler handler) {
        this.name = name;
        this.kafka = kafka;
        this.topics = List.copyOf(topics);
        this.startAt = startAt;
        this.handler = handler;
        this.loop = new ConsumerLoop(name, this::run, true);
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

    private void run() {
        Map<TopicPartition, Long> replayEnd = null;
        while (loop.running()) {
            try {
                new TopicProvisioner(kafka).ensureAll();
                try (KafkaConsumer<byte[], byte[]> kafka = newConsumer()) {
                    loop.polling(kafka);
                    if (!loop.running()) {
                        return;
                    }
                    List<TopicPartition> partitions = assign(kafka);
                    if (replayEnd == null) {
                        replayEnd = kafka.endOffsets(partitions);
                    }
                    while (loop.running()) {
                        for (ConsumerRecord<byte[], byte[]> record : kafka.poll(Duration.ofMillis(500))) {
                            handle(record);
                            positions.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                        }
                        if (!caughtUp && replayed(kafka, replayEnd)) {
                            caughtUp = true;
                            LOG.info("{}: replayed {}", name, topics.stream().map(TopicSpec::name).toList());
                            handler.caughtUp();
                        }
                    }
                }
            } catch (WakeupException stopping) {
                return;
            } catch (RuntimeException e) {
                if (!loop.running()) {
                    return;
                }
                LOG.warn("{}: reading {} failed ({}); retrying in {} s", name,
                        topics.stream().map(TopicSpec::name).toList(), e.toString(), RETRY.toSeconds());
                long until = System.nanoTime() + RETRY.toNanos();
                while (loop.running() && System.nanoTime() < until) {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
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
        Object value;
        try {
            value = topic.decode(record.value());
        } catch (RecordDecodingException e) {
            // feedback.events also takes JSON lines from plain clients; ingest reads those, the dashboard skips them
            if (++unreadable <= 5) {
                LOG.warn("{}: skipping unreadable record {}-{}@{}{}: {}", name, record.topic(), record.partition(),
                        record.offset(), unreadable == 5 ? " (further ones are not logged)" : "", e.getMessage());
            }
            return;
        }
        if (value == null) {
            return; // a tombstone
        }
        try {
            handler.handle(topic, value, Instant.ofEpochMilli(record.timestamp()));
        } catch (RuntimeException e) {
            LOG.warn("{}: handling {}-{}@{} failed; skipping it", name, record.topic(), record.partition(),
                    record.offset(), e);
        }
    }

    private static boolean replayed(KafkaConsumer<?, ?> kafka, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> kafka.position(e.getKey()) >= e.getValue());
    }

    private KafkaConsumer<byte[], byte[]> newConsumer() {
        // read_committed: the evaluator writes decisions and deployments in transactions; never act on an aborted one.
        return KafkaClients.assignedConsumer(kafka, "serving-" + name);
    }

    @Override
    public void close() {
        loop.stop(Duration.ofSeconds(30));
    }
}
