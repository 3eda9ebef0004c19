package dev.streamtune.evaluator.deadletters;

import static dev.streamtune.evaluator.deadletters.DeadLetterFixture.avro;
import static dev.streamtune.evaluator.deadletters.DeadLetterFixture.avroFeedback;
import static dev.streamtune.evaluator.deadletters.DeadLetterFixture.json;
import static dev.streamtune.evaluator.deadletters.DeadLetterFixture.letter;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamtune.contract.AvroCodec;
import dev.streamtune.contract.Topics;
import dev.streamtune.schema.FeedbackEvent;
import dev.streamtune.schema.LabelledExample;
import org.junit.jupiter.api.Test;

class OriginalRecordTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jsonWithAnIdIsReplayedByteForByte() throws Exception {
        byte[] value = json("intent", "refund", "ex-1", "give my money back");
        OriginalRecord original = OriginalRecord.of(letter("UNKNOWN_LABEL", "intent", "refund", value, 7));
        assertEquals("ex-1", original.id());
        assertArrayEquals(value, original.value());
        assertEquals(Topics.LABELLED_EXAMPLES.name(), original.topic());
        assertEquals(DeadLetterFixture.REJECTED_AT.toEpochMilli(), original.timestamp());
    }

    @Test
    void jsonWithoutAnIdGetsTheIdIngestGaveIt() throws Exception {
        byte[] value = json("intent", "refund", null, "give my money back");
        OriginalRecord original = OriginalRecord.of(letter("UNKNOWN_LABEL", "intent", "refund", value, 42));
        assertEquals("examples.labelled/0/42", original.id());
        JsonNode tree = JSON.readTree(original.value());
        assertEquals("examples.labelled/0/42", tree.get("id").asText());
        assertEquals("give my money back", tree.get("text").asText());
        String text = new String(original.value(), StandardCharsets.UTF_8);
        assertTrue(text.startsWith(new String(value, 0, value.length - 1, StandardCharsets.UTF_8)),
                "the original bytes come first, unchanged: " + text);
    }

    @Test
    void aBlankOrNullIdIsOverriddenByTheAppendedOne() throws Exception {
        for (String id : new String[] {"\"  \"", "null"}) {
            byte[] value = ("{\"id\":" + id + ",\"task\":\"t\",\"text\":\"abc\",\"label\":\"x\"}  \n")
                    .getBytes(StandardCharsets.UTF_8);
            OriginalRecord original = OriginalRecord.of(letter("UNKNOWN_LABEL", "t", "x", value, 3));
            assertEquals("examples.labelled/0/3", original.id());
            String text = new String(original.value(), StandardCharsets.UTF_8);
            assertTrue(text.endsWith(",\"id\":\"examples.labelled/0/3\"}"), text); // the last field wins in ingest
        }
    }

    @Test
    void feedbackGetsARequestIdNotAnId() throws Exception {
        byte[] value = "{\"task\":\"t\",\"text\":\"abc\",\"predictedLabel\":\"a\",\"correctedLabel\":\"b\"}"
                .getBytes(StandardCharsets.UTF_8);
        OriginalRecord original = OriginalRecord.of(letter(Topics.FEEDBACK_EVENTS.name(), "UNKNOWN_LABEL", "t",
                "b", value, 5));
        assertEquals("feedback.events/0/5", original.id());
        assertEquals("feedback.events/0/5", JSON.readTree(original.value()).get("requestId").asText());
        assertEquals(Topics.FEEDBACK_EVENTS.name(), original.topic());
    }

    @Test
    void avroWithoutAnIdIsDecodedGivenTheIdAndEncodedAgain() throws Exception {
        OriginalRecord original = OriginalRecord.of(letter("UNKNOWN_LABEL", "intent", "refund",
                avro("intent", "refund", null, "money back"), 9));
        assertEquals("examples.labelled/0/9", original.id());
        LabelledExample decoded = AvroCodec.of(LabelledExample.class).decode(original.value());
        assertEquals("examples.labelled/0/9", decoded.getId());
        assertEquals("money back", decoded.getText());
    }

    @Test
    void avroWithAnIdIsReplayedByteForByte() throws Exception {
        byte[] value = avro("intent", "refund", "a-1", "money back");
        OriginalRecord original = OriginalRecord.of(letter("UNKNOWN_LABEL", "intent", "refund", value, 9));
        assertEquals("a-1", original.id());
        assertArrayEquals(value, original.value());
    }

    @Test
    void avroFeedbackWithoutARequestIdGetsOne() throws Exception {
        OriginalRecord original = OriginalRecord.of(letter(Topics.FEEDBACK_EVENTS.name(), "UNKNOWN_LABEL", "t",
                "b", avroFeedback("t", "b", null, "abc"), 11));
        assertEquals("feedback.events/0/11",
                AvroCodec.of(FeedbackEvent.class).decode(original.value()).getRequestId());
    }

    @Test
    void aValueCutByIngestToFitCannotGoBack() {
        byte[] json = json("t", "x", null, "a long text");
        byte[] avro = avro("t", "x", null, "a long text");
        assertThrows(OriginalRecord.Unreplayable.class, () -> OriginalRecord.of(letter("TEXT_TOO_LONG", "t", "x",
                Arrays.copyOf(json, json.length - 5), 1)));
        assertThrows(OriginalRecord.Unreplayable.class, () -> OriginalRecord.of(letter("TEXT_TOO_LONG", "t", "x",
                Arrays.copyOf(avro, avro.length - 5), 1)));
        assertThrows(OriginalRecord.Unreplayable.class, () -> OriginalRecord.of(letter("TEXT_TOO_LONG", "t", "x",
                null, 1)));
    }

    @Test
    void aNonStringIdOrAnotherSourceTopicCannotGoBack() {
        byte[] numericId = "{\"id\":5,\"task\":\"t\",\"text\":\"abc\",\"label\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        assertThrows(OriginalRecord.Unreplayable.class,
                () -> OriginalRecord.of(letter("UNKNOWN_LABEL", "t", "x", numericId, 1)));
        assertThrows(OriginalRecord.Unreplayable.class, () -> OriginalRecord.of(letter("examples.clean",
                "UNKNOWN_LABEL", "t", "x", json("t", "x", "a", "abc"), 1)));
    }

    @Test
    void nestedIdFieldsAreNotTheExampleId() throws Exception {
        byte[] value = "{\"task\":\"t\",\"attributes\":{\"id\":\"nested\"},\"text\":\"abc\",\"label\":\"x\"}"
                .getBytes(StandardCharsets.UTF_8);
        assertEquals("examples.labelled/0/2", OriginalRecord.of(letter("UNKNOWN_LABEL", "t", "x", value, 2)).id());
    }
}
