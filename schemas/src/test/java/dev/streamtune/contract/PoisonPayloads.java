package dev.streamtune.contract;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.Utf8;

/**
 * Hostile single-object payloads for any record type, built by writing a real record through an encoder that lies
 * at one chosen point: the header (marker + the type's current fingerprint) is genuine, so a decoder gets past it
 * and must deal with the body.
 */
final class PoisonPayloads {

    /** The length the probe used: two billion bytes, which the JVM would try to allocate. */
    static final long HUGE = 2_000_000_000L;

    private PoisonPayloads() {
    }

    /** The record's first string or bytes value declares {@link #HUGE} bytes; 3 filler bytes follow (18 in all). */
    static <T extends SpecificRecord> byte[] hugeString(AvroCodec<T> codec, T sample) {
        return cutAt(codec, sample, Lie.LENGTH).orElseThrow();
    }

    /** The record's first array or map declares {@link #HUGE} items; empty when the type has no collection. */
    static <T extends SpecificRecord> Optional<byte[]> hugeCollection(AvroCodec<T> codec, T sample) {
        return cutAt(codec, sample, Lie.ITEM_COUNT);
    }

    /** The whole record, with its first string replaced by the overlong (C0 80) encoding of NUL. */
    static <T extends SpecificRecord> byte[] overlongUtf8(AvroCodec<T> codec, T sample) {
        return cutAt(codec, sample, Lie.OVERLONG_UTF8).orElseThrow();
    }

    static byte[] withTrailing(byte[] payload, byte... extra) {
        byte[] out = Arrays.copyOf(payload, payload.length + extra.length);
        System.arraycopy(extra, 0, out, payload.length, extra.length);
        return out;
    }

    private enum Lie { LENGTH, ITEM_COUNT, OVERLONG_UTF8 }

    private static <T extends SpecificRecord> Optional<byte[]> cutAt(AvroCodec<T> codec, T sample, Lie lie) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] header = Arrays.copyOf(codec.encode(sample), 10);
        body.writeBytes(header);
        LyingEncoder encoder = new LyingEncoder(EncoderFactory.get().directBinaryEncoder(body, null), lie);
        try {
            new SpecificDatumWriter<T>(codec.schema()).write(sample, encoder);
            encoder.flush();
        } catch (Cut cut) {
            body.writeBytes(new byte[] {'x', 'y', 'z'});
            return Optional.of(body.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lie == Lie.OVERLONG_UTF8 && encoder.lied ? Optional.of(body.toByteArray()) : Optional.empty();
    }

    /** Stops the writer once the lie is told. */
    private static final class Cut extends RuntimeException {
        Cut() {
            super(null, null, false, false);
        }
    }

    private static final class LyingEncoder extends Encoder {
        private final BinaryEncoder out;
        private final Lie lie;
        boolean lied;

        LyingEncoder(BinaryEncoder out, Lie lie) {
            this.out = out;
            this.lie = lie;
        }

        private void cut() throws IOException {
            out.flush();
            throw new Cut();
        }

        private void string(byte[] utf8) throws IOException {
            if (lie == Lie.LENGTH) {
                out.writeLong(HUGE);
                cut();
            } else if (lie == Lie.OVERLONG_UTF8 && !lied) {
                lied = true;
                out.writeBytes(new byte[] {(byte) 0xC0, (byte) 0x80});
            } else {
                out.writeBytes(utf8);
            }
        }

        private void count(long items) throws IOException {
            if (lie == Lie.ITEM_COUNT) {
                out.writeLong(HUGE);
                cut();
            }
            out.setItemCount(items);
        }

        @Override public void writeString(Utf8 s) throws IOException { string(Arrays.copyOf(s.getBytes(), s.getByteLength())); }
        @Override public void writeString(String s) throws IOException { string(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)); }
        @Override public void writeString(CharSequence s) throws IOException { writeString(s.toString()); }
        @Override public void writeBytes(ByteBuffer b) throws IOException {
            byte[] copy = new byte[b.remaining()];
            b.duplicate().get(copy);
            writeBytes(copy, 0, copy.length);
        }
        @Override public void writeBytes(byte[] b, int start, int len) throws IOException {
            if (lie == Lie.LENGTH) {
                out.writeLong(HUGE);
                cut();
            }
            out.writeBytes(b, start, len);
        }
        @Override public void writeNull() throws IOException { out.writeNull(); }
        @Override public void writeBoolean(boolean b) throws IOException { out.writeBoolean(b); }
        @Override public void writeInt(int n) throws IOException { out.writeInt(n); }
        @Override public void writeLong(long n) throws IOException { out.writeLong(n); }
        @Override public void writeFloat(float f) throws IOException { out.writeFloat(f); }
        @Override public void writeDouble(double d) throws IOException { out.writeDouble(d); }
        @Override public void writeFixed(byte[] b, int start, int len) throws IOException { out.writeFixed(b, start, len); }
        @Override public void writeEnum(int e) throws IOException { out.writeEnum(e); }
        @Override public void writeArrayStart() throws IOException { out.writeArrayStart(); }
        @Override public void setItemCount(long n) throws IOException { count(n); }
        @Override public void startItem() throws IOException { out.startItem(); }
        @Override public void writeArrayEnd() throws IOException { out.writeArrayEnd(); }
        @Override public void writeMapStart() throws IOException { out.writeMapStart(); }
        @Override public void writeMapEnd() throws IOException { out.writeMapEnd(); }
        @Override public void writeIndex(int i) throws IOException { out.writeIndex(i); }
        @Override public void flush() throws IOException { out.flush(); }
    }
}
