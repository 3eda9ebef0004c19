package dev.streamtune.ingest;

import java.util.HashMap;
import java.util.Map;

import dev.streamtune.schema.ExampleOrigin;
import dev.streamtune.schema.Split;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The value format of the internal by-task repartition topic. Internal to one application id, so it is a compact
 * hand-written format with a version byte rather than a catalogue schema. Version 2 adds {@code truncated}; version 1
 * records (written before an upgrade, still in the topic) are read as not truncated.
 */
public final class CleanedExampleSerde implements Serde<CleanedExample>, Serializer<CleanedExample>,
        Deserializer<CleanedExample> {

    private static final int VERSION = 2;
    private static final int VERSION_WITHOUT_TRUNCATED = 1;
    private static final ExampleOrigin[] ORIGINS = ExampleOrigin.values();
    private static final Split[] SPLITS = Split.values();

    // Serdes are used by one stream thread at a time (one instance per task's sink/source).
    private final ThreadLocal<CompactWriter> writers = ThreadLocal.withInitial(() -> new CompactWriter(512));

    @Override
    public byte[] serialize(String topic, CleanedExample example) {
        if (example == null) {
            return null;
        }
        CompactWriter out = writers.get().reset()
                .writeByte(VERSION)
                .writeString(example.id())
                .writeString(example.task())
                .writeString(example.text())
                .writeString(example.label())
                .writeString(example.source())
                .writeByte(example.origin().ordinal())
                .writeLong(example.eventTime())
                .writeLong(example.attributes().size());
        example.attributes().forEach((key, value) -> out.writeString(key).writeString(value));
        return out.writeDouble(example.weight())
                .writeString(example.contentHash())
                .writeByte(example.split() == null ? -1 : example.split().ordinal())
                .writeByte(example.truncated() ? 1 : 0)
                .toByteArray();
    }

    @Override
    public CleanedExample deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        CompactReader in = new CompactReader(bytes);
        int version = in.readByte();
        if (version != VERSION && version != VERSION_WITHOUT_TRUNCATED) {
            throw new SerializationException("Unknown CleanedExample format version " + version);
        }
        String id = in.readString();
        String task = in.readString();
        String text = in.readString();
        String label = in.readString();
        String source = in.readString();
        ExampleOrigin origin = ORIGINS[in.readByte()];
        long eventTime = in.readLong();
        int attributeCount = in.readInt();
        Map<String, String> attributes = attributeCount == 0 ? Map.of() : new HashMap<>(attributeCount * 2);
        for (int i = 0; i < attributeCount; i++) {
            attributes.put(in.readString(), in.readString());
        }
        double weight = in.readDouble();
        String contentHash = in.readString();
        int split = in.readByte();
        boolean truncated = version != VERSION_WITHOUT_TRUNCATED && in.readByte() == 1;
        return new CleanedExample(id, task, text, label, source, origin, eventTime, attributes, weight, contentHash,
                truncated, split < 0 ? null : SPLITS[split]);
    }

    @Override
    public Serializer<CleanedExample> serializer() {
        return this;
    }

    @Override
    public Deserializer<CleanedExample> deserializer() {
        return this;
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
        // nothing to configure
    }

    @Override
    public void close() {
        // stateless
    }
}
