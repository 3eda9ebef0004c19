package dev.streamtune.contract;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
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
 *
 * <p>A field added to a signed record, or to a record nested in one, after records of it were signed is marked
 * {@code "signedWhenSet": true} in its schema. While it holds its default it is left out, so a record signed before
 * the field existed, decoded with the default, gives the bytes it was signed with. Once any marked field is set, the
 * content says which ones were written ({@link #DOMAIN_WITH_MARKED_FIELDS}): without that list a value moved from
 * one marked field to a neighbouring one, or into a neighbouring record, could give the same bytes.
 */
final class SignedContent {

    static final String KEY_ID_FIELD = "signingKeyId";
    static final String SIGNATURE_FIELD = "signature";
    /** Schema property marking a field left out of the content while it holds its default. */
    static final String SIGNED_WHEN_SET = "signedWhenSet";
    private static final String DOMAIN = "streamtune-signed-record-v1";
    /**
     * Prefix of the content when a marked field is set: the domain, the type, then which marked fields were written,
     * as an Avro array of (record full name + "." + field name, occurrence), the occurrence counting that field's
     * appearances (written or not) in the order the encoding meets them; then the encoding. A field marked later, and
     * left at its default, adds nothing to either part, so these records keep verifying too.
     */
    private static final String DOMAIN_WITH_MARKED_FIELDS = "streamtune-signed-record-v2";

    private SignedContent() {
    }

    static boolean isSignable(SpecificRecord record) {
        Schema schema = record.getSchema();
        return schema.getField(KEY_ID_FIELD) != null && schema.getField(SIGNATURE_FIELD) != null;
    }

    static byte[] of(SpecificRecord record) {
        return content(withSignature(record, keyId(record), null));
    }

    /** The content of {@code unsigned}, a record of any schema (its signature field already null). */
    static byte[] content(IndexedRecord unsigned) {
        Schema schema = unsigned.getSchema();
        CanonicalWriter writer = new CanonicalWriter(schema, SpecificData.getForSchema(schema), true);
        byte[] body = writer.encode(schema, unsigned);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length + 128);
        String domain = writer.written.isEmpty() ? DOMAIN : DOMAIN_WITH_MARKED_FIELDS;
        bytes.writeBytes((domain + "\0" + schema.getFullName() + "\0").getBytes(StandardCharsets.UTF_8));
        if (!writer.written.isEmpty()) {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
            try {
                encoder.writeArrayStart();
                encoder.setItemCount(writer.written.size());
                for (MarkedField field : writer.written) {
                    encoder.startItem();
                    encoder.writeString(field.name());
                    encoder.writeInt(field.occurrence());
                }
                encoder.writeArrayEnd();
                encoder.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        bytes.writeBytes(body);
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

    /** One appearance of a marked field that was written: which field, and which of its appearances. */
    private record MarkedField(String name, int occurrence) {
    }

    /**
     * Writes maps in key order, so the same record always gives the same bytes; when {@code leavesOutDefaults},
     * leaves marked fields that hold their default out and notes the ones it writes.
     */
    private static final class CanonicalWriter extends SpecificDatumWriter<Object> {

        private final boolean leavesOutDefaults;
        private final Map<String, Integer> appearances = new HashMap<>();
        private final List<MarkedField> written = new ArrayList<>();

        CanonicalWriter(Schema schema, SpecificData model, boolean leavesOutDefaults) {
            super(schema, model);
            this.leavesOutDefaults = leavesOutDefaults;
        }

        byte[] encode(Schema schema, Object datum) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
            try {
                write(schema, datum, encoder);
                encoder.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        @Override
        protected void writeMap(Schema schema, Object datum, Encoder out) throws IOException {
            Map<String, Object> sorted = new TreeMap<>();
            ((Map<?, ?>) datum).forEach((key, value) -> sorted.put(key.toString(), value));
            super.writeMap(schema, sorted, out);
        }

        /** Field by field, always: a record's own generated encoder (Avro's custom coders) would bypass the above. */
        @Override
        protected void writeRecord(Schema schema, Object datum, Encoder out) throws IOException {
            for (Schema.Field field : schema.getFields()) {
                if (leavesOutDefaults && isMarked(schema, field)) {
                    writeMarked(schema, datum, field, out);
                } else {
                    writeField(datum, field, out, null);
                }
            }
        }

        private static boolean isMarked(Schema record, Schema.Field field) {
            Object mark = field.getObjectProp(SIGNED_WHEN_SET);
            if (mark != null && !Boolean.TRUE.equals(mark)) {
                throw new IllegalStateException(record.getFullName() + "." + field.name() + ": " + SIGNED_WHEN_SET
                        + " is true or absent, not " + mark);
            }
            return mark != null;
        }

        private void writeMarked(Schema record, Object datum, Schema.Field field, Encoder out) throws IOException {
            String name = record.getFullName() + "." + field.name();
            int occurrence = appearances.merge(name, 1, Integer::sum) - 1;
            if (!field.hasDefaultValue()) {
                throw new IllegalStateException(name + " is marked " + SIGNED_WHEN_SET + " but has no default");
            }
            // Compared in full (every field, maps sorted): equal encodings are equal values.
            CanonicalWriter full = new CanonicalWriter(field.schema(), getSpecificData(), false);
            byte[] value = full.encode(field.schema(), getData().getField(datum, field.name(), field.pos()));
            byte[] defaultValue = full.encode(field.schema(), getData().getDefaultValue(field));
            if (Arrays.equals(value, defaultValue)) {
                return;
            }
            written.add(new MarkedField(name, occurrence));
            writeField(datum, field, out, null);
        }
    }
}
