package dev.streamtune.ingest.window;

import dev.streamtune.ingest.CompactReader;
import dev.streamtune.ingest.CompactWriter;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Store format of a window's token frequencies: the bytes are produced by {@link WindowState#writeTokensTo} and
 * read back by {@link WindowState#restoreTokens}, so the store itself just holds bytes.
 */
final class TokenSnapshotSerde {

    private final CompactWriter writer = new CompactWriter(16 * 1024);

    static Serde<byte[]> serde() {
        return Serdes.ByteArray();
    }

    byte[] snapshot(WindowState state) {
        writer.reset();
        state.writeTokensTo(writer);
        return writer.toByteArray();
    }

    static boolean restore(WindowState state, byte[] snapshot) {
        return snapshot != null && state.restoreTokens(new CompactReader(snapshot));
    }
}
