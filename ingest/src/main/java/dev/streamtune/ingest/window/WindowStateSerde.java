package dev.streamtune.ingest.window;

import dev.streamtune.ingest.CompactReader;
import dev.streamtune.ingest.CompactWriter;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Store format of {@link WindowState}: compact, since the state is written on every example. */
public final class WindowStateSerde implements Serde<WindowState>, Serializer<WindowState>,
        Deserializer<WindowState> {

    private final ThreadLocal<CompactWriter> writers = ThreadLocal.withInitial(() -> new CompactWriter(4096));

    @Override
    public byte[] serialize(String topic, WindowState state) {
        if (state == null) {
            return null;
        }
        CompactWriter out = writers.get().reset();
        state.writeTo(out);
        return out.toByteArray();
    }

    @Override
    public WindowState deserialize(String topic, byte[] bytes) {
        return bytes == null ? null : WindowState.readFrom(new CompactReader(bytes));
    }

    @Override
    public Serializer<WindowState> serializer() {
        return this;
    }

    @Override
    public Deserializer<WindowState> deserializer() {
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
