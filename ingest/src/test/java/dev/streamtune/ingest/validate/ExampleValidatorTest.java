package dev.streamtune.ingest.validate;

import static dev.streamtune.ingest.Inputs.json;
import static dev.streamtune.ingest.Inputs.labelledAvro;
import static dev.streamtune.ingest.Inputs.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.streamtune.contract.ReasonCode;
import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.contract.Topics;
import dev.streamtune.ingest.Inputs;
import dev.streamtune.ingest.InvalidRecordException;
import dev.streamtune.ingest.SourceRecord;
import dev.streamtune.ingest.Tasks;
import dev.streamtune.ingest.ValidExample;
import dev.streamtune.ingest.config.IngestSettings;
import dev.streamtune.ingest.config.TaskRulebook;
import dev.streamtune.schema.ExampleOrigin;
import dev.streamtune.schema.TaskState;
import dev.streamtune.schema.TextOverflow;
import org.junit.jupiter.api.Test;

class ExampleValidatorTest {

    private static final long NOW = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
    private static final IngestSettings SETTINGS = IngestSettings.builtIn().withDefaults(
            IngestSettings.Defaults.builtIn().withEventTimeBounds(Duration.ofMinutes(5), Duration.ofDays(30)));
    private static final TaskRulebook RULES = TaskRulebook.of(TaskCatalogue.of(
            Tasks.task("sentiment", "negative", "positive"),
            Tasks.withText(Tasks.task("strict", "negative", "positive"), 3, 100, TextOverflow.REJECT),
            Tasks.inState(Tasks.task("old", "a", "b"), TaskState.RETIRED),
            Tasks.inState(Tasks.task("resting", "a", "b"), TaskState.PAUSED)), SETTINGS.defaults());
    private final ExampleValidator validator = new ExampleValidator(SETTINGS, () -> RULES);

    @Test
    void anUnknownOrRetiredTaskIsRejectedNamingTheTaskAndLabel() {
        InvalidRecordException unknown = rejection(json("task", " weather ", "text", "Sunny", "label", " sunny "));
        assertEquals(ReasonCode.UNKNOWN_TASK, unknown.code());
        assertEquals("weather", unknown.task());
        assertEquals("sunny", unknown.label());
        assertEquals("task 'weather' is not defined in the task catalogue (known: [old, resting, sentiment, "
                + "strict])", unknown.getMessage());
        InvalidRecordException retired = rejection(json("task", "old", "text", "Fine", "label", "a"));
        assertEquals(ReasonCode.TASK_RETIRED, retired.code());
        assertEquals("old", retired.task());
        assertEquals("a", admit(json("task", "resting", "text", "Fine", "label", "A")).label(),
                "a paused task is ingested as usual");
    }

    @Test
    void anEmptyCatalogueSaysSo() {
        ExampleValidator empty = new ExampleValidator(SETTINGS,
                () -> TaskRulebook.of(TaskCatalogue.empty(), SETTINGS.defaults()));
        InvalidRecordException error = assertThrows(InvalidRecordException.class, () -> empty.validate(
                record(Topics.LABELLED_EXAMPLES.name(), json("task", "sentiment", "text", "Fine", "label", "a")),
                NOW));
        assertTrue(error.getMessage().contains("it defines no task yet"), error.getMessage());
    }

    @Test
    void rejectionsOfFeedbackNameTheCorrectionOrElseThePrediction() {
        InvalidRecordException corrected = assertThrows(InvalidRecordException.class, () -> validator.validate(
                record(Topics.FEEDBACK_EVENTS.name(), json("task", "sentiment", "text", "Fine",
                        "predictedLabel", "positive", "correctedLabel", "meh")), NOW));
        assertEquals(ReasonCode.UNKNOWN_LABEL, corrected.code());
        assertEquals("meh", corrected.label());
        InvalidRecordException confirmed = assertThrows(InvalidRecordException.class, () -> validator.validate(
                record(Topics.FEEDBACK_EVENTS.name(), json("task", "sentiment", "text", "Fine",
                        "predictedLabel", "great", "rating", 5)), NOW));
        assertEquals("great", confirmed.label());
        assertEquals("sentiment", confirmed.task());
    }

    @Test
    void longRawTextIsRefusedEarlyOnlyWhenThePolicyRejectsItOrIngestDoesNotReadIt() {
        assertEquals(ReasonCode.TEXT_TOO_LONG, reject(json("task", "strict", "text", "x".repeat(401),
                "label", "positive")), "REJECT: beyond 4 x max-chars cleaning cannot help");
        assertEquals(8_000, admit(json("task", "sentiment", "text", "x".repeat(8_000), "label", "positive"))
                .text().length(), "a truncating policy keeps it for the clean step to cut");
        ExampleValidator small = new ExampleValidator(SETTINGS.withMaxTextChars(1000), () -> RULES);
        InvalidRecordException avro = assertThrows(InvalidRecordException.class, () -> small.validate(
                record(Topics.LABELLED_EXAMPLES.name(), labelledAvro("e1", "sentiment", "y".repeat(1001), "positive",
                        NOW)), NOW));
        assertEquals(ReasonCode.TEXT_TOO_LONG, avro.code());
        assertTrue(avro.getMessage().contains("ingest.max-text-chars"), avro.getMessage());
        InvalidRecordException json = assertThrows(InvalidRecordException.class, () -> small.validate(
                record(Topics.LABELLED_EXAMPLES.name(), json("task", "sentiment", "text", "y".repeat(1001),
                        "label", "positive")), NOW));
        assertEquals(ReasonCode.TEXT_TOO_LONG, json.code());
        assertTrue(json.getMessage().contains("ingest.max-text-chars"), json.getMessage());
    }

    @Test
    void readableNamesAreShortAndFreeOfControlCharacters() {
        assertEquals("weather", ExampleValidator.readable("  weather "));
        assertEquals(null, ExampleValidator.readable(" "));
        assertEquals(null, ExampleValidator.readable("a\nb"));
        assertEquals(null, ExampleValidator.readable("t".repeat(257)));
    }

    @Test
    void jsonAndAvroDecodeToTheSameExample() {
        ValidExample fromJson = admit(json("id", "e1", "task", "sentiment", "text", "Fine", "label", "positive",
                "source", "test", "eventTime", NOW - 1000, "attributes", Map.of("channel", "avro")));
        ValidExample fromAvro = admit(labelledAvro("e1", "sentiment", "Fine", "positive", NOW - 1000));
        assertEquals(fromJson.id(), fromAvro.id());
        assertEquals(fromJson.text(), fromAvro.text());
        assertEquals(fromJson.label(), fromAvro.label());
        assertEquals(fromJson.eventTime(), fromAvro.eventTime());
        assertEquals(fromJson.attributes(), fromAvro.attributes());
        assertEquals(fromJson.weight(), fromAvro.weight());
        assertEquals(ExampleOrigin.LABELLED, fromAvro.origin());
    }

    @Test
    void isoEventTimesAreAccepted() {
        ValidExample example = admit(json("id", "17", "task", "sentiment", "text", "Fine", "label", "positive",
                "eventTime", "2026-03-01T11:00:00+02:00"));
        assertEquals("17", example.id());
        assertEquals(Instant.parse("2026-03-01T09:00:00Z").toEpochMilli(), example.eventTime());
    }

    @Test
    void unknownJsonFieldsAreIgnored() {
        ValidExample example = admit(json("task", "sentiment", "text", "Fine", "label", "positive",
                "extra", Map.of("deep", List.of(1, 2, Map.of("x", "y")))));
        assertEquals("Fine", example.text());
    }

    @Test
    void eventTimeIsJudgedAgainstTheRecordTimestamp() {
        assertEquals(ReasonCode.EVENT_TIME_IN_FUTURE, reject(json("task", "sentiment", "text", "Fine", "label",
                "positive", "eventTime", NOW + Duration.ofMinutes(6).toMillis())));
        assertEquals(NOW + Duration.ofMinutes(4).toMillis(), admit(json("task", "sentiment", "text", "Fine",
                "label", "positive", "eventTime", NOW + Duration.ofMinutes(4).toMillis())).eventTime());
        assertEquals(ReasonCode.EVENT_TIME_TOO_OLD, reject(json("task", "sentiment", "text", "Fine", "label",
                "positive", "eventTime", NOW - Duration.ofDays(31).toMillis())));
        assertEquals(ReasonCode.EVENT_TIME_TOO_OLD, reject(json("task", "sentiment", "text", "Fine", "label",
                "positive", "eventTime", -5)));
    }

    @Test
    void invalidFieldsAreNamedInTheReason() {
        InvalidRecordException error = assertThrows(InvalidRecordException.class, () -> validator.validate(
                record(Topics.LABELLED_EXAMPLES.name(), json("task", "sentiment", "text", List.of("a"),
                        "label", "positive")), NOW));
        assertEquals(ReasonCode.INVALID_FIELD, error.code());
        assertEquals("text must be a string, not an array", error.getMessage());
        assertEquals(ReasonCode.INVALID_FIELD, reject(json("task", "sentiment", "text", "Fine", "label",
                "positive", "weight", "heavy")));
        assertEquals(ReasonCode.INVALID_FIELD, reject(json("task", "sentiment", "text", "Fine", "label",
                "positive", "attributes", "en-GB")));
    }

    @Test
    void malformedReasonsSayWhatWasWrong() {
        assertTrue(message(utf8("{\"task\": oops}")).startsWith("invalid JSON: "));
        assertEquals("empty record", message(new byte[0]));
        assertEquals("neither Avro single-object encoding (C3 01 ...) nor a JSON object", message(utf8("plain text")));
        byte[] feedbackAsLabelled = Inputs.feedbackAvro("r", "sentiment", "text", "positive", null, 5, NOW);
        assertTrue(message(feedbackAsLabelled).startsWith("Unknown writer schema for LabelledExample"),
                message(feedbackAsLabelled));
    }

    @Test
    void feedbackWithoutATeachingSignalIsIgnored() {
        Admission admission = validator.validate(record(Topics.FEEDBACK_EVENTS.name(),
                json("requestId", "r1", "task", "sentiment", "text", "ok I guess", "predictedLabel", "positive")),
                NOW);
        assertEquals("sentiment", assertInstanceOf(Admission.Ignored.class, admission).task());
    }

    @Test
    void textFieldsTakeJsonStringsOnlyNotNumbersBooleansOrArrays() {
        assertEquals("label must be a string, not a number", rejectMessage(json("task", "sentiment", "text", "Fine",
                "label", 5)));
        assertEquals("id must be a string, not a boolean", rejectMessage(json("id", true, "task", "sentiment",
                "text", "Fine", "label", "positive")));
        assertEquals("text must be a string, not an array", rejectMessage(json("task", "sentiment",
                "text", List.of("Fine"), "label", "positive")));
        assertEquals("attributes.stars must be a string, not a number", rejectMessage(json("task", "sentiment",
                "text", "Fine", "label", "positive", "attributes", Map.of("stars", 5))));
        assertEquals("attributes.vip must be a string, not a boolean", rejectMessage(json("task", "sentiment",
                "text", "Fine", "label", "positive", "attributes", Map.of("vip", true))));
    }

    @Test
    void eventTimesBeyondSixtyFourBitsOrYear9999AreRefusedNotWrapped() {
        BigInteger wrapsToNow = BigInteger.ONE.shiftLeft(64).add(BigInteger.valueOf(NOW));
        assertTrue(rejectMessage(json("task", "sentiment", "text", "Fine", "label", "positive",
                "eventTime", wrapsToNow)).contains("out of range"));
        assertEquals(ReasonCode.INVALID_FIELD, reject(json("task", "sentiment", "text", "Fine", "label",
                "positive", "eventTime", 1e300)));
        assertEquals(ReasonCode.INVALID_FIELD, reject(json("task", "sentiment", "text", "Fine", "label",
                "positive", "eventTime", "+1000000000-01-01T00:00:00Z")));
        assertEquals(ReasonCode.INVALID_FIELD, reject(labelledAvro("e1", "sentiment", "Fine", "positive",
                Long.MAX_VALUE)));
    }

    @Test
    void malformedUtf8IsRefusedWithAReason() {
        byte[] overlongNul = Inputs.concat(utf8("{\"task\":\"sentiment\",\"text\":\"fine"),
                new byte[] {(byte) 0xC0, (byte) 0x80}, utf8("text\",\"label\":\"positive\"}"));
        assertTrue(message(overlongNul).startsWith("invalid UTF-8 at byte 32"), message(overlongNul));
        byte[] surrogate = Inputs.concat(utf8("{\"task\":\"sentiment\",\"text\":\"fine"),
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, utf8("\",\"label\":\"positive\"}"));
        assertTrue(message(surrogate).startsWith("invalid UTF-8"), message(surrogate));
    }

    @Test
    void hugeValuesAreRefusedWhileParsingWithTheRightReason() {
        assertEquals(ReasonCode.TEXT_TOO_LONG, reject(json("task", "sentiment", "text", "z".repeat(950_000),
                "label", "positive")));
        InvalidRecordException attribute = assertThrows(InvalidRecordException.class, () -> validator.validate(
                record(Topics.LABELLED_EXAMPLES.name(), json("task", "sentiment", "text", "Fine", "label",
                        "positive", "attributes", Map.of("note", "n".repeat(900_000)))), NOW));
        assertEquals(ReasonCode.INVALID_FIELD, attribute.code());
        assertTrue(attribute.getMessage().startsWith("attributes is over a size limit"), attribute.getMessage());
        Map<String, String> many = new java.util.HashMap<>();
        for (int i = 0; i < 1000; i++) {
            many.put("k" + i, "v");
        }
        assertTrue(rejectMessage(json("task", "sentiment", "text", "Fine", "label", "positive",
                "attributes", many)).contains("more than 32 entries"));
        String deep = "[".repeat(100) + "]".repeat(100);
        assertTrue(message(utf8("{\"task\":\"sentiment\",\"extra\":" + deep + "}")).contains("nested deeper"));
    }

    @Test
    void shortFieldsAreBoundedAndFreeOfControlCharacters() {
        assertTrue(rejectMessage(json("task", "t".repeat(300), "text", "Fine", "label", "positive"))
                .startsWith("task has 300 characters; at most 256"));
        assertTrue(rejectMessage(json("id", "a\u0000b", "task", "sentiment", "text", "Fine", "label", "positive"))
                .startsWith("id contains a control character (U+0000)"));
        assertTrue(rejectMessage(json("task", "sentiment", "text", "Fine", "label", "positive",
                "attributes", Map.of("locale", "en\nGB"))).contains("control character"));
    }

    @Test
    void avroPoisonRecordsAreMalformedWithTheDecodersReasonOnBothTopics() {
        for (String topic : List.of(Topics.LABELLED_EXAMPLES.name(), Topics.FEEDBACK_EVENTS.name())) {
            byte[] poison = Inputs.avroDeclaringTwoBillionByteString(topic.equals(Topics.FEEDBACK_EVENTS.name()));
            assertEquals(18, poison.length);
            InvalidRecordException error = assertThrows(InvalidRecordException.class,
                    () -> validator.validate(record(topic, poison), NOW));
            assertEquals(ReasonCode.MALFORMED, error.code());
            assertTrue(error.getMessage().contains("declares 2000000000 bytes but only 3 remain"),
                    error.getMessage());
        }
        assertTrue(message(Inputs.avroWithTrailingGarbage("e1", "sentiment", "Fine", NOW))
                .contains("4 trailing bytes"));
    }

    private InvalidRecordException rejection(byte[] value) {
        return assertThrows(InvalidRecordException.class,
                () -> validator.validate(record(Topics.LABELLED_EXAMPLES.name(), value), NOW));
    }

    private String rejectMessage(byte[] value) {
        InvalidRecordException error = assertThrows(InvalidRecordException.class,
                () -> validator.validate(record(Topics.LABELLED_EXAMPLES.name(), value), NOW));
        assertEquals(ReasonCode.INVALID_FIELD, error.code(), error.getMessage());
        return error.getMessage();
    }

    private ValidExample admit(byte[] value) {
        Admission admission = validator.validate(record(Topics.LABELLED_EXAMPLES.name(), value), NOW);
        return assertInstanceOf(Admission.Admitted.class, admission).example();
    }

    private ReasonCode reject(byte[] value) {
        return assertThrows(InvalidRecordException.class,
                () -> validator.validate(record(Topics.LABELLED_EXAMPLES.name(), value), NOW)).code();
    }

    private String message(byte[] value) {
        InvalidRecordException error = assertThrows(InvalidRecordException.class,
                () -> validator.validate(record(Topics.LABELLED_EXAMPLES.name(), value), NOW));
        assertEquals(ReasonCode.MALFORMED, error.code());
        return error.getMessage();
    }

    private static SourceRecord record(String topic, byte[] value) {
        return new SourceRecord(topic, 1, 7, NOW, null, value);
    }
}
