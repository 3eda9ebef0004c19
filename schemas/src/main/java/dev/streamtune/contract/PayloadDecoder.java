package dev.streamtune.contract;

import java.nio.ByteBuffer;

import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * An Avro binary {@link Decoder} over one payload held in memory that checks every declared length against the
 * bytes the payload still holds <em>before</em> allocating anything. Avro's own {@code BinaryDecoder} allocates a
 * string, bytes or collection of the declared size first and discovers only then that the bytes are missing: an
 * 18-byte record declaring a 2-billion-byte string is an {@code OutOfMemoryError}, which no per-record handler
 * catches. Here a string or bytes value can never be longer than the rest of the payload, and a collection can
 * never have more items than the rest of the payload has bytes (every item of our schemas takes at least one byte;
 * {@link AvroCodec} checks that when it is built). Strings must be well-formed UTF-8 ({@link StrictUtf8}).
 *
 * <p>Every failure is a {@link RecordDecodingException} saying what was wrong and where. One instance per payload;
 * not thread-safe.
 */
final class PayloadDecoder extends Decoder {

    private final byte[] buf;
    private final int limit;
    private final DecodeLimits limits;
    private int pos;

    PayloadDecoder(byte[] payload, int offset, DecodeLimits limits) {
        this.buf = payload;
        this.pos = offset;
        this.limit = payload.length;
        this.limits = limits;
    }

    /** Bytes not read yet: after a whole record, anything left is trailing garbage. */
    int remaining() {
        return limit - pos;
    }

    int position() {
        return pos;
    }

    @Override
    public void readNull() {
    }

    @Override
    public boolean readBoolean() {
        require(1, "a boolean");
        int b = buf[pos++];
        if (b != 0 && b != 1) {
            throw corrupt("a boolean must be 0 or 1, not " + b + " at byte " + (pos - 1));
        }
        return b == 1;
    }

    @Override
    public int readInt() {
        long value = readLong();
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw corrupt("int out of range (" + value + ") at byte " + pos);
        }
        return (int) value;
    }

    @Override
    public long readLong() {
        int start = pos;
        long raw = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= limit) {
                throw corrupt("payload ends inside a number at byte " + start);
            }
            int b = buf[pos++];
            raw |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return (raw >>> 1) ^ -(raw & 1); // zig-zag back to two's complement
            }
        }
        throw corrupt("number longer than 10 bytes at byte " + start);
    }

    @Override
    public float readFloat() {
        require(4, "a float");
        int bits = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16
                | (buf[pos + 3] & 0xFF) << 24;
        pos += 4;
        return Float.intBitsToFloat(bits);
    }

    @Override
    public double readDouble() {
        require(8, "a double");
        long bits = 0;
        for (int i = 7; i >= 0; i--) {
            bits = bits << 8 | (buf[pos + i] & 0xFF);
        }
        pos += 8;
        return Double.longBitsToDouble(bits);
    }

    @Override
    public Utf8 readString(Utf8 old) {
        int length = length("string", limits.maxStringBytes());
        checkUtf8(length);
        Utf8 result = old != null ? old : new Utf8();
        result.setByteLength(length);
        System.arraycopy(buf, pos, result.getBytes(), 0, length);
        pos += length;
        return result;
    }

    @Override
    public String readString() {
        int length = length("string", limits.maxStringBytes());
        checkUtf8(length);
        String value = new String(buf, pos, length, java.nio.charset.StandardCharsets.UTF_8);
        pos += length;
        return value;
    }

    @Override
    public void skipString() {
        pos += length("string", limits.maxStringBytes());
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) {
        int length = length("bytes value", limits.maxBytesLength());
        byte[] copy = new byte[length];
        System.arraycopy(buf, pos, copy, 0, length);
        pos += length;
        return ByteBuffer.wrap(copy);
    }

    @Override
    public void skipBytes() {
        pos += length("bytes value", limits.maxBytesLength());
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) {
        require(length, "a fixed of " + length + " bytes");
        System.arraycopy(buf, pos, bytes, start, length);
        pos += length;
    }

    @Override
    public void skipFixed(int length) {
        require(length, "a fixed of " + length + " bytes");
        pos += length;
    }

    @Override
    public int readEnum() {
        return readInt();
    }

    @Override
    public long readArrayStart() {
        return itemCount("array");
    }

    @Override
    public long arrayNext() {
        return itemCount("array");
    }

    @Override
    public long skipArray() {
        return skipBlocks("array");
    }

    @Override
    public long readMapStart() {
        return itemCount("map");
    }

    @Override
    public long mapNext() {
        return itemCount("map");
    }

    @Override
    public long skipMap() {
        return skipBlocks("map");
    }

    @Override
    public int readIndex() {
        return readInt();
    }

    @Override
    public int remainingBytes() {
        return remaining();
    }

    /** A string or bytes length: not negative, within the cap, and not longer than what is left. */
    private int length(String what, int cap) {
        int at = pos;
        long length = readLong();
        if (length < 0) {
            throw corrupt(what + " at byte " + at + " has a negative length (" + length + ")");
        }
        if (length > cap) {
            throw corrupt(what + " at byte " + at + " declares " + length + " bytes; at most " + cap
                    + " are accepted");
        }
        if (length > remaining()) {
            throw corrupt(what + " at byte " + at + " declares " + length + " bytes but only " + remaining()
                    + " remain in the payload");
        }
        return (int) length;
    }

    /**
     * The item count of the next block. A negative count is followed by the block's size in bytes (which readers
     * may use to skip). Every item takes at least one byte, so a count above the bytes left is a lie.
     */
    private long itemCount(String what) {
        int at = pos;
        long count = readLong();
        if (count < 0) {
            if (count == Long.MIN_VALUE) {
                throw corrupt(what + " block at byte " + at + " has an impossible item count");
            }
            count = -count;
            long size = readLong();
            if (size < 0 || size > remaining()) {
                throw corrupt(what + " block at byte " + at + " declares " + size + " bytes but only "
                        + remaining() + " remain in the payload");
            }
        }
        if (count > limits.maxCollectionItems()) {
            throw corrupt(what + " block at byte " + at + " declares " + count + " items; at most "
                    + limits.maxCollectionItems() + " are accepted");
        }
        if (count > remaining()) {
            throw corrupt(what + " block at byte " + at + " declares " + count + " items but only " + remaining()
                    + " bytes remain in the payload");
        }
        return count;
    }

    /** Skips blocks that carry their byte size; returns the count of the first block that must be read item by item. */
    private long skipBlocks(String what) {
        while (true) {
            int at = pos;
            long count = readLong();
            if (count >= 0) {
                if (count > remaining()) {
                    throw corrupt(what + " block at byte " + at + " declares " + count + " items but only "
                            + remaining() + " bytes remain in the payload");
                }
                return count;
            }
            long size = readLong();
            if (count == Long.MIN_VALUE || size < 0 || size > remaining()) {
                throw corrupt(what + " block at byte " + at + " declares " + size + " bytes but only "
                        + remaining() + " remain in the payload");
            }
            pos += (int) size;
        }
    }

    private void checkUtf8(int length) {
        int bad = StrictUtf8.firstMalformed(buf, pos, length);
        if (bad >= 0) {
            throw corrupt("string at byte " + pos + " is not valid UTF-8 (malformed, overlong or surrogate "
                    + "sequence at byte " + bad + ")");
        }
    }

    private void require(int bytes, String what) {
        if (bytes > remaining()) {
            throw corrupt("payload ends at byte " + limit + " where " + what + " needs " + bytes + " bytes");
        }
    }

    private static RecordDecodingException corrupt(String message) {
        return new RecordDecodingException(message);
    }
}
