package dev.streamtune.contract;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.TopicConfig;

/**
 * One topic of the pipeline: its name, what its records are, and how the broker should keep them.
 *
 * @param keyMeaning what the record key holds, for people reading the catalogue
 * @param retention  how long records are kept; null means forever (compacted topics keep the latest per key)
 */
public record TopicSpec(
        String name,
        Class<? extends SpecificRecord> valueType,
        String keyMeaning,
        int partitions,
        boolean compacted,
        Duration retention) {

    /** Broker-side configs to create the topic with. */
    public Map<String, String> configs() {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG,
                compacted ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE);
        configs.put(TopicConfig.RETENTION_MS_CONFIG, retention == null ? "-1" : Long.toString(retention.toMillis()));
        return configs;
    }

    /**
     * Reads a value of this topic as its catalogue type; null for a tombstone.
     *
     * @throws RecordDecodingException when the bytes are not such a record
     */
    public SpecificRecord decode(byte[] value) {
        return value == null ? null : AvroCodec.of(valueType).decode(value);
    }

    /** Writes a value of this topic, refusing a record of another type. */
    @SuppressWarnings("unchecked")
    public byte[] encode(SpecificRecord value) {
        if (!valueType.isInstance(value)) {
            throw new IllegalArgumentException(name + " holds " + valueType.getSimpleName() + " records, not "
                    + value.getClass().getSimpleName());
        }
        return AvroCodec.of((Class<SpecificRecord>) valueType).encode(value);
    }

    public <T extends SpecificRecord> AvroSerde<T> valueSerde(Class<T> expected) {
        if (!expected.equals(valueType)) {
            throw new IllegalArgumentException(name + " holds " + valueType.getSimpleName()
                    + " records, not " + expected.getSimpleName());
        }
        return AvroSerde.of(expected);
    }
}
