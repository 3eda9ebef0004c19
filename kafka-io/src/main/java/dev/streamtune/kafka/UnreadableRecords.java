package dev.streamtune.kafka;

import dev.streamtune.contract.RecordDecodingException;
import dev.streamtune.contract.TopicSpec;
import dev.streamtune.contract.Topics;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes a consumed record or skips it. A record the codec refuses must never stop a consumer, nor block one that
 * restarts: control topics have no dead letters and compacted ones keep the record. The caller moves its position
 * past a skipped record like past any other. Each skip is counted per topic and logged with the reason, topic,
 * partition and offset, never the payload (the first few per topic, then every {@value #LOG_EVERY}th).
 */
public final class UnreadableRecords {

    private static final Logger LOG = LoggerFactory.getLogger(UnreadableRecords.class);
    private static final int LOG_FIRST = 5;
    static final int LOG_EVERY = 100;

    private final String consumer;
    private final Map<String, AtomicLong> skipped = new ConcurrentHashMap<>();

    /** @param consumer who reads, for the log lines (e.g. "evaluator") */
    public UnreadableRecords(String consumer) {
        this.consumer = consumer;
    }

    /**
     * The record's value decoded with its topic's codec; empty for a tombstone (not counted) and for a record the
     * codec refuses (counted and logged).
     */
    public Optional<SpecificRecord> decode(ConsumerRecord<byte[], byte[]> record) {
        return decode(Topics.byName(record.topic()), record);
    }

    /** As {@link #decode(ConsumerRecord)}, with the topic's spec already at hand. */
    public Optional<SpecificRecord> decode(TopicSpec topic, ConsumerRecord<byte[], byte[]> record) {
        try {
            return Optional.ofNullable(topic.decode(record.value()));
        } catch (RecordDecodingException e) {
            skip(record, e.getMessage());
        } catch (RuntimeException | OutOfMemoryError codecBug) {
            // The codec promises RecordDecodingException; whatever else it throws must not block the topic either.
            // An OutOfMemoryError here is a declared length too large to allocate, refused before the heap filled.
            skip(record, "codec failed: " + codecBug);
        }
        return Optional.empty();
    }

    private void skip(ConsumerRecord<byte[], byte[]> record, String reason) {
        long count = skipped.computeIfAbsent(record.topic(), t -> new AtomicLong()).incrementAndGet();
        if (count <= LOG_FIRST || count % LOG_EVERY == 0) {
            LOG.warn("{}: skipped unreadable record {}-{}@{} ({} skipped on {} so far{}): {}", consumer,
                    record.topic(), record.partition(), record.offset(), count, record.topic(),
                    count == LOG_FIRST ? "; only every " + LOG_EVERY + "th is logged from now" : "", reason);
        }
    }

    /** Records skipped so far, per topic. */
    public Map<String, Long> skipped() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        skipped.forEach((topic, count) -> counts.put(topic, count.get()));
        return counts;
    }

    /** Records skipped so far, all topics together. */
    public long total() {
        return skipped.values().stream().mapToLong(AtomicLong::get).sum();
    }
}
