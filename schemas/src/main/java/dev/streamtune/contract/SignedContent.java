package dev.streamtune.contract;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * What a signature covers: the record's Avro binary encoding with its {@code signature} field null (the
 * {@code signingKeyId} is covered too), map entries in key order (a decoded map need not iterate in the writer's order, and the bytes must
 * be the same at both ends), behind a prefix naming the record type (a signature never transfers to another type).
 * Every field is covered: ids, task, artifact URI and SHA-256.
 */
final class SignedContent {

    static final String KEY_ID_FIELD = "signingKeyId";
    static final String SIGNATURE_FIELD = "signature";
    private static final String DOMAIN = "streamtune-signed-record-v1";

    private SignedContent() {
    }

    static boolean isSignable(SpecificRecord record) {
        Schema schema = record.getSchema();
        return schema.getField(KEY_ID_FIELD) != null && schema.getField(SIGNATURE_FIELD) != null;
    }

    static byte[] of(SpecificRecord record) {
        Schema schema = record.getSchema();
        SpecificRecord unsigned = withSignature(record, keyId(record), null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        bytes.writeBytes((DOMAIN + "\0" + schema.getFullName() + "\0").getBytes(StandardCharsets.UTF_8));
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
        try {
            new SortedMapWriter(schema).write(unsigned, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A copy of {@code record} with the two signature fields set (null clears them). */
    @SuppressWarnings("unchecked")
    static <T extends SpecificRecord> T withSignature(T record, String keyId, byte[] signature) {
        Schema schema = record.getSchema();
        T copy = (T) SpecificData.getForClass(record.getClass()).deepCopy(schema, record);
        copy.put(schema.getField(KEY_ID_FIELD).pos(), keyId);
        copy.put(schema.getField(SIGNATURE_FIELD).pos(), signature == null ? null : java.nio.ByteBuffer.wrap(signature));
        return copy;
    }

    static String keyId(SpecificRecord record) {
        Object value = record.get(record.getSchema().getField(KEY_ID_FIELD).pos());
        return value == null ? null : value.toString();
    }

    static byte[] signature(SpecificRecord record) {
        Object value = record.get(record.getSchema().getField(SIGNATURE_FIELD).pos());
        if (!(value instanceof java.nio.ByteBuffer buffer)) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /** Writes maps in key order, so the same record always gives the same bytes. */
    private static final class SortedMapWriter extends SpecificDatumWriter<Object> {

        SortedMapWriter(Schema schema) {
            super(schema);
        }

        @Override
        protected void writeMap(Schema schema, Object datum, Encoder out) throws IOException {
            Map<String, Object> sorted = new TreeMap<>();
            ((Map<?, ?>) datum).forEach((key, value) -> sorted.put(key.toString(), value));
            super.writeMap(schema, sorted, out);
        }
    }
}
