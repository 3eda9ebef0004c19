package dev.streamtune.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** What a signature covers when a signed record gains fields: schemas of one record type across versions. */
class SignedContentTest {

    private static final String SIGNED = """
            {"type": "record", "name": "Signed", "namespace": "test.signed", "fields": [
              {"name": "id", "type": "string"},
              {"name": "scores", "type": {"type": "array", "items": {"type": "record", "name": "Score", "fields": [
                {"name": "name", "type": "string"}
                %s
              ]}}}
              %s
            ]}""";
    private static final String BREAKDOWN = """
            , {"name": "breakdown", "type": {"type": "array", "items": "string"}, "default": [], "signedWhenSet": true}""";
    private static final String NOTES = """
            , {"name": "notes", "type": {"type": "array", "items": "string"}, "default": [], "signedWhenSet": true}""";
    private static final String TAGS = """
            , {"name": "tags", "type": {"type": "array", "items": "string"}, "default": [], "signedWhenSet": true}""";
    private static final String COMMENT = """
            , {"name": "comment", "type": ["null", "string"], "default": null, "signedWhenSet": true}""";

    /** Version 1: nothing marked. */
    private final Schema v1 = parse(SIGNED.formatted("", ""));
    /** Version 2: each score gained a breakdown, the record notes and tags. */
    private final Schema v2 = parse(SIGNED.formatted(BREAKDOWN, NOTES + TAGS));
    /** Version 3: and a comment. */
    private final Schema v3 = parse(SIGNED.formatted(BREAKDOWN, NOTES + TAGS + COMMENT));

    @Test
    void aRecordSignedBeforeMarkedFieldsExistedHasTheSameContentWithThemAtTheirDefaults() {
        assertArrayEquals(SignedContent.content(record(v1, List.of(), List.of(), List.of())),
                SignedContent.content(record(v2, List.of(), List.of(), List.of())));
    }

    @Test
    void settingOrChangingAMarkedFieldChangesTheContent() {
        byte[] unset = SignedContent.content(record(v2, List.of(), List.of(), List.of()));
        byte[] set = SignedContent.content(record(v2, List.of("a:0.2"), List.of(), List.of()));
        byte[] changed = SignedContent.content(record(v2, List.of("a:0.3"), List.of(), List.of()));
        assertFalse(Arrays.equals(unset, set));
        assertFalse(Arrays.equals(set, changed));
    }

    @Test
    void aValueMovedToTheNeighbouringMarkedFieldChangesTheContent() {
        // Notes and tags are neighbours of one type: with either one left out, their bytes alone are the same. The
        // list of written fields is what tells the two records apart.
        GenericRecord notes = record(v2, List.of(), List.of(), List.of("x"));
        GenericRecord tags = record(v2, List.of(), List.of(), List.of());
        tags.put("tags", List.of("x"));
        assertDistinct(notes, tags);
    }

    @Test
    void aValueMovedToAnotherRecordOfTheArrayChangesTheContent() {
        assertDistinct(record(v2, List.of("x"), List.of(), List.of()), record(v2, List.of(), List.of("x"), List.of()));
    }

    @Test
    void aFieldMarkedLaterAndLeftAtItsDefaultKeepsRecordsWithEarlierMarkedFieldsSet() {
        assertArrayEquals(SignedContent.content(record(v2, List.of("a"), List.of(), List.of("n"))),
                SignedContent.content(record(v3, List.of("a"), List.of(), List.of("n"))));
        GenericRecord commented = record(v3, List.of("a"), List.of(), List.of("n"));
        commented.put("comment", "set");
        assertDistinct(record(v3, List.of("a"), List.of(), List.of("n")), commented);
    }

    @Test
    void aMarkedFieldWithoutADefaultIsASchemaBug() {
        Schema broken = parse(SIGNED.formatted("", """
                , {"name": "notes", "type": {"type": "array", "items": "string"}, "signedWhenSet": true}"""));
        GenericRecord record = new GenericData.Record(broken);
        record.put("id", "r");
        record.put("scores", List.of());
        record.put("notes", List.of());
        var error = assertThrows(IllegalStateException.class, () -> SignedContent.content(record));
        assertTrue(error.getMessage().contains("test.signed.Signed.notes"), error.getMessage());
    }

    @Test
    void everyMarkedFieldOfOurSignedRecordsHasADefault() {
        for (Class<? extends SpecificRecord> type : SampleRecords.all().keySet()) {
            if (SignerRole.requiredFor(type).isPresent()) {
                assertMarkedFieldsHaveDefaults(AvroCodec.of(type).schema(), new HashSet<>());
            }
        }
    }

    private static void assertMarkedFieldsHaveDefaults(Schema schema, Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (seen.add(schema.getFullName())) {
                    for (Schema.Field field : schema.getFields()) {
                        boolean marked = field.getObjectProp(SignedContent.SIGNED_WHEN_SET) != null;
                        assertTrue(!marked || field.hasDefaultValue(), schema.getFullName() + "." + field.name());
                        assertMarkedFieldsHaveDefaults(field.schema(), seen);
                    }
                }
            }
            case UNION -> schema.getTypes().forEach(branch -> assertMarkedFieldsHaveDefaults(branch, seen));
            case ARRAY -> assertMarkedFieldsHaveDefaults(schema.getElementType(), seen);
            case MAP -> assertMarkedFieldsHaveDefaults(schema.getValueType(), seen);
            default -> {
            }
        }
    }

    private static void assertDistinct(GenericRecord a, GenericRecord b) {
        assertFalse(Arrays.equals(SignedContent.content(a), SignedContent.content(b)));
    }

    /** A record with two scores, "a" and "b"; where the schema has them, the breakdowns and notes given. */
    private static GenericRecord record(Schema schema, List<String> firstBreakdown, List<String> secondBreakdown,
                                        List<String> notes) {
        Schema score = schema.getField("scores").schema().getElementType();
        GenericRecord record = new GenericData.Record(schema);
        record.put("id", "r-1");
        record.put("scores", List.of(score(score, "a", firstBreakdown), score(score, "b", secondBreakdown)));
        if (schema.getField("notes") != null) {
            record.put("notes", notes);
            record.put("tags", List.of());
        }
        return record;
    }

    private static GenericRecord score(Schema schema, String name, List<String> breakdown) {
        GenericRecord score = new GenericData.Record(schema);
        score.put("name", name);
        if (schema.getField("breakdown") != null) {
            score.put("breakdown", breakdown);
        }
        return score;
    }

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }
}
