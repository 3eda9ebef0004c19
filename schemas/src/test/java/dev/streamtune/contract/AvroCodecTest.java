package dev.streamtune.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.LabelledExample;
import dev.streamtune.schema.PromotionDecision;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

public class AvroCodecTest {

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void everyRecordTypeSurvivesARoundTrip() {
        SampleRecords.all().forEach((type, record) -> {
            AvroCodec codec = AvroCodec.of((Class) type);
            SpecificRecord decoded = (SpecificRecord) codec.decode(codec.encode(record));
            assertEquals(record, decoded, type.getSimpleName());
        });
    }

    @Test
    void aVersion1WriterIsReadByTheCurrentReaderWithDefaults() throws Exception {
        byte[] v1Bytes = encodeWithVersion1(SampleRecords.T0.toEpochMilli());

        LabelledExample decoded = AvroCodec.of(LabelledExample.class).decode(v1Bytes);

        assertEquals("ex-old", decoded.getId());
        assertEquals("Loved it", decoded.getText());
        assertEquals(SampleRecords.T0, decoded.getEventTime());
        assertEquals(Map.of("locale", "de-DE"), decoded.getAttributes());
        assertNull(decoded.getWeight(), "a field added in v2 takes its default");
    }

    @Test
    void historyHoldsTheOlderSchemaAndItDiffersFromTheCurrentOne() {
        Schema current = AvroCodec.of(LabelledExample.class).schema();
        var older = AvroCodec.olderVersionsOf(current);
        assertEquals(1, older.size());
        assertTrue(older.get(0).getField("weight") == null);
        assertTrue(current.getField("weight") != null);
    }

    @Test
    void everyVersionInTheHistoryIsReadableByTheCurrentSchema() {
        java.util.Set<Class<? extends SpecificRecord>> types = new java.util.HashSet<>(SampleRecords.all().keySet());
        types.add(dev.streamtune.schema.EvaluationReport.class); // embedded in decisions, with a history of its own
        for (Class<? extends SpecificRecord> type : types) {
            Schema current = AvroCodec.of(type).schema();
            for (Schema older : AvroCodec.olderVersionsOf(current)) {
                var compatibility = SchemaCompatibility.checkReaderWriterCompatibility(current, older);
                assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE, compatibility.getType(),
                        type.getSimpleName() + ": " + compatibility.getDescription());
            }
        }
    }

    @Test
    void aDeploymentWrittenBeforeSigningDecodesAsUnsigned() {
        Schema v1 = AvroCodec.olderVersionsOf(AvroCodec.of(Deployment.class).schema()).get(0);
        Deployment current = SampleRecords.deployment();
        GenericRecord record = new GenericData.Record(v1);
        v1.getFields().forEach(field -> record.put(field.name(), field.name().equals("deployedAt")
                ? current.getDeployedAt().toEpochMilli() : current.get(field.name())));
        ByteBuffer buffer;
        try {
            buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(record);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);

        Deployment decoded = AvroCodec.of(Deployment.class).decode(bytes);
        assertEquals(current.getArtifactUri(), decoded.getArtifactUri());
        assertNull(decoded.getSignature(), "a field added in v2 takes its default");
        assertNull(decoded.getSigningKeyId());
    }

    @Test
    void garbageGivesAReasonNotAnAvroStackTrace() {
        AvroCodec<LabelledExample> codec = AvroCodec.of(LabelledExample.class);
        var json = assertThrows(RecordDecodingException.class,
                () -> codec.decode("{\"id\":1}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(json.getMessage().contains("single-object"), json.getMessage());
        assertThrows(RecordDecodingException.class, () -> codec.decode(new byte[0]));
    }

    @Test
    void unknownWriterFingerprintIsNamed() {
        AvroCodec<LabelledExample> codec = AvroCodec.of(LabelledExample.class);
        byte[] bytes = codec.encode(SampleRecords.labelledExample());
        bytes[5] ^= 0x5a; // flip a fingerprint byte
        var error = assertThrows(RecordDecodingException.class, () -> codec.decode(bytes));
        assertTrue(error.getMessage().contains("Unknown writer schema"), error.getMessage());
    }

    @Test
    void truncatedBodyIsReportedAsCorrupt() {
        AvroCodec<LabelledExample> codec = AvroCodec.of(LabelledExample.class);
        byte[] bytes = codec.encode(SampleRecords.labelledExample());
        var error = assertThrows(RecordDecodingException.class,
                () -> codec.decode(Arrays.copyOf(bytes, bytes.length / 2)));
        assertTrue(error.getMessage().startsWith("Corrupt LabelledExample"), error.getMessage());
    }

    @Test
    void missingRequiredFieldFailsAtEncodingWithTheTypeName() {
        LabelledExample incomplete = SampleRecords.labelledExample();
        incomplete.setLabel(null);
        var error = assertThrows(RecordEncodingException.class,
                () -> AvroCodec.of(LabelledExample.class).encode(incomplete));
        assertTrue(error.getMessage().contains("LabelledExample"), error.getMessage());
    }

    @Test
    void serdeMapsTombstonesToNull() {
        AvroSerde<LabelledExample> serde = AvroSerde.of(LabelledExample.class);
        assertNull(serde.serialize("t", null));
        assertNull(serde.deserialize("t", null));
        // Compared as records: map entries may be written in any order, so bytes need not repeat exactly.
        assertEquals(SampleRecords.labelledExample(),
                serde.deserialize("t", serde.serialize("t", SampleRecords.labelledExample())));
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void everyTypeRefusesAnEighteenByteRecordDeclaringATwoBillionByteString() {
        SampleRecords.all().forEach((type, record) -> {
            AvroCodec codec = AvroCodec.of((Class) type);
            byte[] poison = PoisonPayloads.hugeString(codec, record);
            assertTrue(poison.length <= 19, type.getSimpleName() + " poison is " + poison.length + " bytes");
            var error = assertThrows(RecordDecodingException.class, () -> codec.decode(poison), type.getSimpleName());
            assertTrue(error.getMessage().contains("declares 2000000000 bytes but only 3 remain"), error.getMessage());
        });
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void everyTypeRefusesACollectionDeclaringMoreItemsThanThePayloadHasBytes() {
        int withCollections = 0;
        for (var entry : SampleRecords.all().entrySet()) {
            AvroCodec codec = AvroCodec.of((Class) entry.getKey());
            java.util.Optional<byte[]> poison = PoisonPayloads.hugeCollection(codec, entry.getValue());
            if (poison.isPresent()) {
                withCollections++;
                var error = assertThrows(RecordDecodingException.class, () -> codec.decode(poison.get()),
                        entry.getKey().getSimpleName());
                assertTrue(error.getMessage().contains("declares 2000000000 items"), error.getMessage());
            }
        }
        assertTrue(withCollections >= 8, "most types have a map or array: " + withCollections);
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void everyTypeRefusesTrailingBytesAfterTheRecord() {
        SampleRecords.all().forEach((type, record) -> {
            AvroCodec codec = AvroCodec.of((Class) type);
            byte[] poison = PoisonPayloads.withTrailing(codec.encode(record), (byte) 0, (byte) 0x42);
            var error = assertThrows(RecordDecodingException.class, () -> codec.decode(poison), type.getSimpleName());
            assertTrue(error.getMessage().contains("2 trailing bytes"), error.getMessage());
        });
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void everyTypeRefusesOverlongUtf8InAString() {
        SampleRecords.all().forEach((type, record) -> {
            AvroCodec codec = AvroCodec.of((Class) type);
            byte[] poison = PoisonPayloads.overlongUtf8(codec, record);
            var error = assertThrows(RecordDecodingException.class, () -> codec.decode(poison), type.getSimpleName());
            assertTrue(error.getMessage().contains("not valid UTF-8"), error.getMessage());
        });
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void mutatedPayloadsOfEveryTypeDecodeOrFailWithARecordDecodingException() {
        Random random = new Random(42);
        SampleRecords.all().forEach((type, record) -> {
            AvroCodec codec = AvroCodec.of((Class) type);
            byte[] valid = codec.encode(record);
            for (int i = 0; i < 400; i++) {
                byte[] mutated = valid.clone();
                int changes = 1 + random.nextInt(4);
                for (int c = 0; c < changes; c++) {
                    mutated[10 + random.nextInt(mutated.length - 10)] = (byte) random.nextInt(256);
                }
                if (random.nextInt(4) == 0) {
                    mutated = Arrays.copyOf(mutated, 10 + random.nextInt(mutated.length - 10));
                }
                try {
                    codec.decode(mutated);
                } catch (RecordDecodingException expected) {
                    assertTrue(expected.getMessage().startsWith("Corrupt " + type.getSimpleName()),
                            expected.getMessage());
                }
            }
        });
    }

    @Test
    void configuredCapsRefuseValuesThePayloadCouldHold() {
        AvroCodec<LabelledExample> capped = AvroCodec.withLimits(LabelledExample.class,
                new DecodeLimits(8, 8, 1));
        byte[] bytes = capped.encode(SampleRecords.labelledExample()); // text longer than 8 bytes, 2 attributes
        var error = assertThrows(RecordDecodingException.class, () -> capped.decode(bytes));
        assertTrue(error.getMessage().contains("at most 8 are accepted"), error.getMessage());
        AvroCodec<LabelledExample> fewItems = AvroCodec.withLimits(LabelledExample.class,
                new DecodeLimits(1000, 1000, 1));
        var items = assertThrows(RecordDecodingException.class, () -> fewItems.decode(bytes));
        assertTrue(items.getMessage().contains("declares 2 items; at most 1"), items.getMessage());
    }

    @Test
    void negativeLengthIsCorruptNotAnException() {
        AvroCodec<LabelledExample> codec = AvroCodec.of(LabelledExample.class);
        byte[] header = Arrays.copyOf(codec.encode(SampleRecords.labelledExample()), 10);
        byte[] poison = PoisonPayloads.withTrailing(header, (byte) 0x01); // zig-zag -1
        var error = assertThrows(RecordDecodingException.class, () -> codec.decode(poison));
        assertTrue(error.getMessage().contains("negative length"), error.getMessage());
    }

    @Test
    void aPromotionDecisionWrittenBeforeLabelScopesIsReadWithoutOne() throws Exception {
        PromotionDecision current = SampleRecords.promotionDecision();
        Schema v1 = AvroCodec.olderVersionsOf(AvroCodec.of(PromotionDecision.class).schema()).get(0);
        assertNull(v1.getField("report").schema().getTypes().get(1).getField("labelScope"));

        PromotionDecision decoded = AvroCodec.of(PromotionDecision.class).decode(encodeWith(v1, current));

        assertEquals(current.getReasons(), decoded.getReasons());
        assertEquals(current.getReport().getCandidate(), decoded.getReport().getCandidate());
        assertNull(decoded.getReport().getLabelScope(), "the field added in v2 takes its default");
    }

    /** Writes {@code record} the way a producer built against {@code writer} (an older version) did. */
    static byte[] encodeWith(Schema writer, SpecificRecord record) throws Exception {
        Schema current = record.getSchema();
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(plain, null);
        new SpecificDatumWriter<SpecificRecord>(current).write(record, encoder);
        encoder.flush();
        GenericRecord older = new GenericDatumReader<GenericRecord>(current, writer)
                .read(null, DecoderFactory.get().binaryDecoder(plain.toByteArray(), null));
        ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer).encode(older);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /** Writes the way a producer built against schema version 1 did. */
    public static byte[] encodeWithVersion1(long eventTimeMillis) throws Exception {
        Schema v1 = AvroCodec.olderVersionsOf(AvroCodec.of(LabelledExample.class).schema()).get(0);
        GenericRecord record = new GenericData.Record(v1);
        record.put("id", "ex-old");
        record.put("task", "sentiment");
        record.put("text", "Loved it");
        record.put("label", "positive");
        record.put("source", "legacy-producer");
        record.put("eventTime", eventTimeMillis);
        record.put("attributes", Map.of("locale", "de-DE"));
        ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(record);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
