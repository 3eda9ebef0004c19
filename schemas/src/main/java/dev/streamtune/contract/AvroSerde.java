package dev.streamtune.contract;

import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serde over {@link AvroCodec}; a null payload (tombstone) maps to a null record both ways. */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private final AvroCodec<T> codec;

    private AvroSerde(AvroCodec<T> codec) {
        this.codec = codec;
    }

    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        return new AvroSerde<>(AvroCodec.of(type));
    }

    @Override
    public byte[] serialize(String topic, T record) {
        return record == null ? null : codec.encode(record);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return data == null ? null : codec.decode(data);
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // Nothing to configure: the schema comes from the record type.
    }

    @Override
    public void close() {
        // Stateless; the codec is shared.
    }
}
