package dev.streamtune.serving.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.streamtune.serving.RequestRejectedException;
import dev.streamtune.serving.RequestRejectedException.Reason;
import org.junit.jupiter.api.Test;

class JsonBodySchemaTest {

    private final JsonBodySchema schema = JsonBodySchema.builder()
            .text("id", 8)
            .texts("texts", 3, 20)
            .textMap("attributes", 2, 5)
            .wholeNumber("rating")
            .build();

    private JsonBodySchema.JsonBody read(String json) {
        return schema.read(json.getBytes(StandardCharsets.UTF_8));
    }

    private String refused(Reason reason, String json) {
        RequestRejectedException e = assertThrows(RequestRejectedException.class, () -> read(json));
        assertEquals(reason, e.reason(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void readsEachFieldWithItsTypeAndTreatsNullAsAbsent() {
        JsonBodySchema.JsonBody body = read("{\"id\":\"r-1\",\"texts\":[\"a\",\"b\"],\"attributes\":{\"k\":\"v\"},"
                + "\"rating\":4}");
        assertEquals("r-1", body.text("id"));
        assertEquals(List.of("a", "b"), body.texts("texts"));
        assertEquals(Map.of("k", "v"), body.textMap("attributes"));
        assertEquals(4L, body.wholeNumber("rating"));
        JsonBodySchema.JsonBody empty = read("{\"id\":null}");
        assertNull(empty.text("id"));
        assertNull(empty.texts("texts"));
    }

    @Test
    void aNumberBooleanArrayOrObjectWhereTextIsExpectedIsRefusedNamingTheField() {
        assertTrue(refused(Reason.MALFORMED, "{\"id\":123}").contains("\"id\" must be a string, not a number"));
        assertTrue(refused(Reason.MALFORMED, "{\"id\":true}").contains("not a boolean"));
        assertTrue(refused(Reason.MALFORMED, "{\"id\":[\"a\"]}").contains("not an array"));
        assertTrue(refused(Reason.MALFORMED, "{\"id\":{\"a\":\"b\"}}").contains("not an object"));
        assertTrue(refused(Reason.MALFORMED, "{\"texts\":[\"a\",7]}").contains("\"texts[1]\" must be a string"));
        assertTrue(refused(Reason.MALFORMED, "{\"texts\":\"a\"}").contains("must be an array of strings"));
        assertTrue(refused(Reason.MALFORMED, "{\"texts\":[[\"a\"]]}").contains("\"texts[0]\" must be a string"));
        assertTrue(refused(Reason.MALFORMED, "{\"attributes\":{\"k\":1}}")
                .contains("\"attributes.k\" must be a string, not a number"));
    }

    @Test
    void wholeNumbersAreNotCoercedFromTextOrFractions() {
        assertTrue(refused(Reason.MALFORMED, "{\"rating\":\"4\"}").contains("\"rating\" must be a whole number"));
        refused(Reason.MALFORMED, "{\"rating\":4.5}");
        refused(Reason.MALFORMED, "{\"rating\":true}");
        refused(Reason.MALFORMED, "{\"rating\":99999999999999999999}");
        refused(Reason.MALFORMED, "{\"rating\":" + "9".repeat(500) + "}");
    }

    @Test
    void stringsOverTheirFieldsLimitAreRefusedNamingFieldAndLimit() {
        assertTrue(refused(Reason.TOO_LARGE, "{\"id\":\"123456789\"}").contains("\"id\" has 9 characters; the limit is 8"));
        String huge = refused(Reason.TOO_LARGE, "{\"id\":\"" + "x".repeat(900_000) + "\"}");
        assertTrue(huge.contains("\"id\"") && huge.contains("the limit is 8"), huge);
        assertTrue(refused(Reason.TOO_LARGE, "{\"texts\":[\"" + "x".repeat(21) + "\"]}").contains("\"texts[0]\""));
        assertTrue(refused(Reason.TOO_LARGE, "{\"attributes\":{\"k\":\"123456\"}}").contains("the limit is 5"));
        assertTrue(refused(Reason.TOO_LARGE, "{\"attributes\":{\"123456\":\"v\"}}").contains("A key of \"attributes\""));
    }

    @Test
    void arraysAndObjectsOverTheirEntryLimitAreRefused() {
        assertTrue(refused(Reason.TOO_LARGE, "{\"texts\":[\"a\",\"b\",\"c\",\"d\"]}").contains("at most 3"));
        assertTrue(refused(Reason.TOO_LARGE, "{\"attributes\":{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\"}}")
                .contains("the limit is 2"));
    }

    @Test
    void unknownRepeatedAndTrailingContentAndNonObjectsAreRefused() {
        assertTrue(refused(Reason.MALFORMED, "{\"Id\":\"a\"}").contains("Unknown field \"Id\""));
        assertTrue(refused(Reason.MALFORMED, "{\"id\":\"a\",\"id\":\"b\"}").contains("twice"));
        refused(Reason.MALFORMED, "{\"attributes\":{\"k\":\"a\",\"k\":\"b\"}}");
        refused(Reason.MALFORMED, "{\"id\":\"a\"} {}");
        refused(Reason.MALFORMED, "[\"a\"]");
        refused(Reason.MALFORMED, "\"a\"");
        refused(Reason.MALFORMED, "");
        assertTrue(refused(Reason.MALFORMED, "{\"id\": ").startsWith("Malformed JSON"));
        assertThrows(RequestRejectedException.class, () -> schema.read(null));
    }

    @Test
    void deepNestingStopsAtTheFirstLevelTheShapeDoesNotHave() {
        String deep = "{\"texts\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertTrue(refused(Reason.MALFORMED, deep).contains("texts"));
    }
}
