package dev.streamtune.ingest;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.errors.SerializationException;

/** Reads what {@link CompactWriter} wrote. */
public final class CompactReader {

    private final byte[] bytes;
    private int position;

    public CompactReader(byte[] bytes) {
        this.bytes = bytes;
    }

    public int readByte() {
        check(1);
        return bytes[position++];
    }

    public long readLong() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            check(1);
            byte b = bytes[position++];
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return (v >>> 1) ^ -(v & 1);
            }
        }
        throw new SerializationException("Varint longer than 10 bytes");
    }

    public int readInt() {
        return Math.toIntExact(readLong());
    }

    public double readDouble() {
        check(8);
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits |= (bytes[position++] & 0xFFL) << (8 * i);
        }
        return Double.longBitsToDouble(bits);
    }

    public String readString() {
        int length = readInt();
        if (length < 0) {
            return null;
        }
        check(length);
        String value = new String(bytes, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    private void check(int needed) {
        if (position + needed > bytes.length) {
            throw new SerializationException("Truncated record: need " + needed + " bytes at " + position
                    + " of " + bytes.length);
        }
    }
}
