package dev.streamtune.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer with variable-length integers and length-prefixed UTF-8 strings: the format of the
 * internal serdes (repartition topic, window state), which are written on every record and so are kept cheap.
 * Not thread-safe; reuse one per processor or serde instance with {@link #reset()}.
 */
public final class CompactWriter {

    private byte[] buffer;
    private int size;

    public CompactWriter(int initialCapacity) {
        buffer = new byte[initialCapacity];
    }

    public CompactWriter reset() {
        size = 0;
        return this;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    public CompactWriter writeByte(int value) {
        ensure(1);
        buffer[size++] = (byte) value;
        return this;
    }

    /** Zig-zag varint, so small negative numbers stay small too. */
    public CompactWriter writeLong(long value) {
        long v = (value << 1) ^ (value >> 63);
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buffer[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buffer[size++] = (byte) v;
        return this;
    }

    public CompactWriter writeDouble(double value) {
        long bits = Double.doubleToRawLongBits(value);
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buffer[size++] = (byte) (bits >>> (8 * i));
        }
        return this;
    }

    /** A string, or null (written as length -1). */
    public CompactWriter writeString(String value) {
        if (value == null) {
            return writeLong(-1);
        }
        return writeUtf8(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Already-encoded UTF-8 bytes, e.g. cached by the caller. */
    public CompactWriter writeUtf8(byte[] utf8) {
        writeLong(utf8.length);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, buffer, size, utf8.length);
        size += utf8.length;
        return this;
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }
}
