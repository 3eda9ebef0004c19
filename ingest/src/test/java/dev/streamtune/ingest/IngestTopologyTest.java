package dev.streamtune.ingest;

import static dev.streamtune.ingest.Inputs.feedbackAvro;
import static dev.streamtune.ingest.Inputs.json;
import static dev.streamtune.ingest.Inputs.labelledAvro;
import static dev.streamtune.ingest.Inputs.labelledJson;
import static dev.streamtune.ingest.Inputs.sha256;
import static dev.streamtune.ingest.Inputs.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import dev.streamtune.contract.AvroSerde;
import dev.streamtune.contract.ReasonCode;
import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.contract.TextTruncation;
import dev.streamtune.contract.Topics;
import dev.streamtune.ingest.config.CatalogueSync;
import dev.streamtune.ingest.config.IngestSettings;
import dev.streamtune.ingest.dedupe.DedupeProcessor;
import dev.streamtune.ingest.metrics.MicrometerIngestMetrics;
import dev.streamtune.ingest.split.SplitAssigner;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.ExampleOrigin;
import dev.streamtune.schema.RejectedRecord;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.schema.TaskState;
import dev.streamtune.schema.TextOverflow;
import dev.streamtune.schema.TrainingWindow;
import dev.streamtune.schema.WindowCloseReason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole topology, rule by rule, on Kafka Streams' TopologyTestDriver (no broker). The task catalogue is built
 * directly and can be moved on mid-test, as the follower would when a new definition arrives.
 */
class IngestTopologyTest {

    static final long T0 = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
    static final TaskDefinition SENTIMENT = Tasks.task("sentiment", "negative", "positive");
    static final IngestSettings SETTINGS = IngestSettings.builtIn();

    @TempDir
    Path stateDir;

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TopologyTestDriver driver;
    TestInputTopic<byte[], byte[]> labelled;
    TestInputTopic<byte[], byte[]> feedback;
    TestOutputTopic<String, CleanExample> clean;
    TestOutputTopic<byte[], RejectedRecord> rejected;
    TestOutputTopic<byte[], byte[]> rejectedBytes;
    TestOutputTopic<String, TrainingWindow> windows;
    final AtomicReference<TaskCatalogue> catalogue = new AtomicReference<>(TaskCatalogue.empty());
    /** What ingest's follower has not read yet: applied when the topology asks to catch up (null: nothing). */
    final AtomicReference<TaskDefinition> unread = new AtomicReference<>();
    final List<Instant> syncedTo = new ArrayList<>();
    boolean followerAway;

    void start(IngestSettings settings, TaskDefinition... tasks) {
        catalogue.set(TaskCatalogue.of(tasks));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ingest-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        CatalogueSync sync = (moment, timeout) -> {
            syncedTo.add(moment);
            TaskDefinition next = unread.getAndSet(null);
            if (next != null && !followerAway) {
                catalogue.set(catalogue.get().apply(next));
            }
            return !followerAway;
        };
        var topology = new IngestTopology(settings, catalogue::get, sync, new MicrometerIngestMetrics(registry))
                .build();
        driver = new TopologyTestDriver(topology, props, Instant.ofEpochMilli(T0));
        labelled = driver.createInputTopic(Topics.LABELLED_EXAMPLES.name(), new ByteArraySerializer(),
                new ByteArraySerializer(), Instant.ofEpochMilli(T0), Duration.ofMillis(10));
        feedback = driver.createInputTopic(Topics.FEEDBACK_EVENTS.name(), new ByteArraySerializer(),
                new ByteArraySerializer(), Instant.ofEpochMilli(T0), Duration.ofMillis(10));
        clean = driver.createOutputTopic(Topics.CLEAN_EXAMPLES.name(), new StringDeserializer(),
                AvroSerde.of(CleanExample.class));
        rejected = driver.createOutputTopic(Topics.REJECTED_RECORDS.name(), new ByteArrayDeserializer(),
                AvroSerde.of(RejectedRecord.class));
        rejectedBytes = driver.createOutputTopic(Topics.REJECTED_RECORDS.name(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        windows = driver.createOutputTopic(Topics.CLOSED_WINDOWS.name(), new StringDeserializer(),
                AvroSerde.of(TrainingWindow.class));
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void jsonAndAvroRecordsBecomeCleanExamplesKeyedByTask() {
        start(SETTINGS, SENTIMENT);
        labelled.pipeInput(utf8("ex-1"), labelledJson("ex-1", "sentiment", "  Loved\tthe   staff!  ", "positive"));
        labelled.pipeInput(utf8("ex-2"), labelledAvro("ex-2", "sentiment", "Awful food", "negative", T0 - 1000));

        List<KeyValue<String, CleanExample>> out = clean.readKeyValuesToList();
        assertEquals(2, out.size());
        CleanExample json = out.get(0).value;
        assertEquals("sentiment", out.get(0).key);
        assertEquals("ex-1", json.getId());
        assertEquals("Loved the staff!", json.getText());
        assertEquals("positive", json.getLabel());
        assertEquals("test", json.getSource());
        assertEquals(ExampleOrigin.LABELLED, json.getOrigin());
        assertEquals(Instant.ofEpochMilli(T0), json.getEventTime(), "JSON without eventTime: record timestamp");
        assertEquals(1.0, json.getWeight());
        assertEquals(sha256("sentiment\u0000Loved the staff!"), json.getContentHash());
        assertEquals(SplitAssigner.assign(json.getContentHash(), 0.70, 0.15), json.getSplit());
        assertEquals("sentiment-000000", json.getWindowId());

        CleanExample avro = out.get(1).value;
        assertEquals("ex-2", avro.getId());
        assertEquals(Instant.ofEpochMilli(T0 - 1000), avro.getEventTime());
        assertEquals(Map.of("channel", "avro"), avro.getAttributes());
        assertTrue(rejected.isEmpty());
        assertEquals(1.0, counter("ingest.records.in", "format", "json"));
        assertEquals(1.0, counter("ingest.records.in", "format", "avro"));
        assertEquals(2.0, counter("ingest.records.out", "task", "sentiment"));
    }

    @Test
    void everyRuleRejectsWithItsReasonAndTheOriginalBytesWhileGoodRecordsFlowOn() {
        start(SETTINGS.withMaxTextChars(50_000), SENTIMENT,
                Tasks.withText(Tasks.task("strict", "negative", "positive"), 3, 2000, TextOverflow.REJECT),
                Tasks.inState(Tasks.task("old", "negative", "positive"), TaskState.RETIRED));
        String tooLong = "word ".repeat(401); // 2004 code points, over max-chars 2000 after cleaning
        String wayTooLong = "x".repeat(8001); // beyond 4 x max-chars: refused before cleaning
        String unreadable = "y".repeat(50_001); // beyond max-text-chars: refused whatever the policy
        List<Object[]> cases = List.of(
                new Object[] {utf8("hello there"), ReasonCode.MALFORMED},
                new Object[] {new byte[0], ReasonCode.MALFORMED},
                new Object[] {utf8("{\"task\": \"sentiment\", "), ReasonCode.MALFORMED},
                new Object[] {utf8("[1, 2]"), ReasonCode.MALFORMED},
                new Object[] {utf8("{\"task\":\"sentiment\"} {\"x\":1}"), ReasonCode.MALFORMED},
                new Object[] {new byte[] {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9}, ReasonCode.MALFORMED},
                new Object[] {json("task", "sentiment", "label", "positive"), ReasonCode.MISSING_FIELD},
                new Object[] {json("task", "sentiment", "text", "fine", "label", " "), ReasonCode.MISSING_FIELD},
                new Object[] {json("text", "fine text", "label", "positive"), ReasonCode.MISSING_FIELD},
                new Object[] {json("task", "sentiment", "text", 42, "label", "positive"), ReasonCode.INVALID_FIELD},
                new Object[] {json("task", "sentiment", "text", "fine", "label", "positive", "weight", -1),
                        ReasonCode.INVALID_FIELD},
                new Object[] {json("task", "sentiment", "text", "fine", "label", "positive",
                        "attributes", Map.of("nested", Map.of("a", "b"))), ReasonCode.INVALID_FIELD},
                new Object[] {json("task", "sentiment", "text", "fine", "label", "positive",
                        "eventTime", "yesterday"), ReasonCode.INVALID_FIELD},
                new Object[] {labelledJson(null, "sentiment", "ok", "positive"), ReasonCode.TEXT_TOO_SHORT},
                new Object[] {labelledJson(null, "sentiment", " \u200B\u0007 a \t", "positive"),
                        ReasonCode.TEXT_TOO_SHORT},
                new Object[] {labelledJson(null, "strict", tooLong, "positive"), ReasonCode.TEXT_TOO_LONG},
                new Object[] {labelledJson(null, "strict", wayTooLong, "positive"), ReasonCode.TEXT_TOO_LONG},
                new Object[] {labelledJson(null, "sentiment", unreadable, "positive"), ReasonCode.TEXT_TOO_LONG},
                new Object[] {labelledAvro("long-avro", "sentiment", unreadable, "positive", T0), ReasonCode.TEXT_TOO_LONG},
                new Object[] {labelledJson(null, "weather", "sunny all day", "positive"), ReasonCode.UNKNOWN_TASK},
                new Object[] {labelledJson(null, "old", "a retired task", "positive"), ReasonCode.TASK_RETIRED},
                new Object[] {labelledJson(null, "sentiment", "it was fine", "neutral"), ReasonCode.UNKNOWN_LABEL},
                new Object[] {json("task", "sentiment", "text", "fine text", "label", "positive",
                        "eventTime", T0 + Duration.ofHours(1).toMillis()), ReasonCode.EVENT_TIME_IN_FUTURE},
                new Object[] {json("task", "sentiment", "text", "fine text", "label", "positive",
                        "eventTime", "2024-01-01T00:00:00Z"), ReasonCode.EVENT_TIME_TOO_OLD});

        for (int i = 0; i < cases.size(); i++) {
            labelled.pipeInput(utf8("bad-" + i), (byte[]) cases.get(i)[0]);
            labelled.pipeInput(utf8("good-" + i), labelledJson("good-" + i, "sentiment", "good text " + i,
                    "positive"));
        }

        List<KeyValue<byte[], RejectedRecord>> dead = rejected.readKeyValuesToList();
        assertEquals(cases.size(), dead.size());
        for (int i = 0; i < cases.size(); i++) {
            RejectedRecord letter = dead.get(i).value;
            assertEquals(cases.get(i)[1].toString(), letter.getReasonCode(), "case " + i + ": " + letter.getReason());
            assertArrayEquals((byte[]) cases.get(i)[0], bytes(letter.getOriginalValue()), "case " + i);
            assertArrayEquals(utf8("bad-" + i), bytes(letter.getOriginalKey()));
            assertArrayEquals(utf8("bad-" + i), dead.get(i).key, "dead letters keep the original key");
            assertEquals(Topics.LABELLED_EXAMPLES.name(), letter.getSourceTopic());
            assertEquals(2L * i, letter.getSourceOffset());
            assertEquals(0, letter.getSourcePartition());
            assertTrue(!letter.getReason().isBlank());
        }
        assertEquals(cases.size(), clean.readValuesToList().size(), "good records around poison ones all pass");
        assertEquals(6.0, counter("ingest.records.rejected", "reason", "MALFORMED"));
        assertEquals(4.0, counter("ingest.records.rejected", "reason", "TEXT_TOO_LONG"));
        assertEquals(1.0, counter("ingest.records.rejected", "reason", "TASK_RETIRED"));
    }

    @Test
    void reasonsAreReadable() {
        start(SETTINGS, SENTIMENT);
        labelled.pipeInput(labelledJson(null, "sentiment", "it was fine", "neutral"));
        assertEquals("label 'neutral' is not one of [negative, positive] of task 'sentiment'",
                rejected.readValue().getReason());
        labelled.pipeInput(labelledJson(null, "weather", "sunny all day", "positive"));
        assertEquals("task 'weather' is not defined in the task catalogue (known: [sentiment])",
                rejected.readValue().getReason());
    }

    @Test
    void deadLettersNameTheTaskAndLabelWhenTheRecordCouldBeReadThatFar() {
        start(SETTINGS, SENTIMENT);
        labelled.pipeInput(labelledJson(null, "sentiment", "it was fine", " Neutral "));
        labelled.pipeInput(labelledJson(null, "weather", "sunny all day", "sunny"));
        labelled.pipeInput(labelledJson(null, "sentiment", "ok", "positive")); // too short, after validation
        feedback.pipeInput(feedbackAvro("r1", "sentiment", "odd one", "negative", "sarcastic", null, T0));
        labelled.pipeInput(json("task", "sentiment", "text", "fine text", "label", "positive", "weight", -1));
        labelled.pipeInput(utf8("not a record"));
        labelled.pipeInput(json("task", "sentiment", "text", "fine text", "label", "x".repeat(300)));

        List<RejectedRecord> dead = rejected.readValuesToList();
        assertEquals(List.of("UNKNOWN_LABEL", "UNKNOWN_TASK", "TEXT_TOO_SHORT", "UNKNOWN_LABEL", "INVALID_FIELD",
                "MALFORMED", "INVALID_FIELD"), dead.stream().map(RejectedRecord::getReasonCode).toList());
        assertEquals(java.util.Arrays.asList("sentiment", "weather", "sentiment", "sentiment", "sentiment", null,
                "sentiment"), dead.stream().map(RejectedRecord::getTask).toList());
        assertEquals(java.util.Arrays.asList("Neutral", "sunny", "positive", "sarcastic", "positive", null, null),
                dead.stream().map(RejectedRecord::getLabel).toList(),
                "labels as written (stripped), or the canonical one after validation; an unreadable one is null");
    }

    @Test
    void anUnknownLabelOfAnOpenLabelTaskSaysItWaitsToBeAddedAutomatically() {
        start(SETTINGS, Tasks.withOpenLabels(Tasks.task("intent", "book"), 25, 50));
        labelled.pipeInput(labelledJson(null, "intent", "cancel my order please", "cancel"));
        RejectedRecord letter = rejected.readValue();
        assertEquals("UNKNOWN_LABEL", letter.getReasonCode());
        assertEquals("cancel", letter.getLabel());
        assertTrue(letter.getReason().contains("added automatically once 25 examples"), letter.getReason());
        assertTrue(letter.getReason().contains("waits here to be replayed"), letter.getReason());
    }

    @Test
    void aLabelAppendedToTheCatalogueIsAcceptedFromTheNextRecordOnWithoutARestart() {
        TaskDefinition topic = Tasks.withWindow(Tasks.task("topic", "world", "sports"), 3, Duration.ZERO);
        start(SETTINGS, topic);
        labelled.pipeInput(labelledJson("a", "topic", "Markets fell again", "business"));
        assertEquals("UNKNOWN_LABEL", rejected.readValue().getReasonCode());
        labelled.pipeInput(labelledJson("b", "topic", "Late goal wins the match", "sports"));

        catalogue.set(catalogue.get().apply(Tasks.withLabelsAdded(topic, "business")));
        labelled.pipeInput(labelledJson("c", "topic", "Markets fell again", "Business"));
        labelled.pipeInput(labelledJson("d", "topic", "Talks resume in Geneva", "world"));

        assertEquals(List.of("sports", "business", "world"),
                clean.readValuesToList().stream().map(CleanExample::getLabel).toList());
        assertEquals(Map.of("world", 1L, "sports", 1L, "business", 1L), windows.readValue().getLabelHistogram(),
                "the manifest counts the labels the catalogue has when the window closes");
    }

    @Test
    void aLabelWrittenJustBeforeItsExamplesIsReadBeforeTheyAreJudged() {
        TaskDefinition topic = Tasks.task("topic", "world", "sports");
        start(SETTINGS, topic);
        // The catalogue gained the label, but ingest's follower has not read it when the example arrives.
        unread.set(Tasks.withLabelsAdded(topic, "business"));
        labelled.pipeInput(labelledJson("a", "topic", "Markets fell again", "business"), Instant.ofEpochMilli(T0 + 5));
        labelled.pipeInput(labelledJson("b", "topic", "Talks resume in Geneva", "world"));

        assertEquals(List.of("a", "b"), clean.readValuesToList().stream().map(CleanExample::getId).toList());
        assertTrue(rejected.isEmpty());
        assertEquals(List.of(Instant.ofEpochMilli(T0 + 5)), syncedTo, "caught up to the record's time, once");
    }

    @Test
    void anUnknownLabelIsStillDeadLetteredWhenTheCatalogueCannotCatchUp() {
        start(SETTINGS, SENTIMENT);
        followerAway = true;
        labelled.pipeInput(labelledJson("a", "sentiment", "It was fine", "neutral"));
        assertEquals("UNKNOWN_LABEL", rejected.readValue().getReasonCode());
        assertEquals(1, syncedTo.size());
    }

    @Test
    void aTaskCreatedInTheCatalogueIsIngestedFromTheNextRecordOn() {
        start(SETTINGS, SENTIMENT);
        labelled.pipeInput(labelledJson("a", "intent", "book a table for two", "book"));
        assertEquals("UNKNOWN_TASK", rejected.readValue().getReasonCode());
        catalogue.set(catalogue.get().apply(Tasks.task("intent", "book", "cancel")));
        labelled.pipeInput(labelledJson("b", "intent", "book a table for two", "book"));
        assertEquals("b", clean.readValue().getId());
    }

    @Test
    void pausedTasksAreIngestedAndRetiredOnesDeadLetterNewRecords() {
        start(SETTINGS, SENTIMENT);
        catalogue.set(catalogue.get().apply(Tasks.inState(SENTIMENT, TaskState.PAUSED)));
        labelled.pipeInput(labelledJson("a", "sentiment", "Loved the staff", "positive"));
        assertEquals("a", clean.readValue().getId(), "paused: nothing lost, the trainer waits");

        TaskDefinition paused = catalogue.get().find("sentiment").orElseThrow();
        catalogue.set(catalogue.get().apply(Tasks.inState(paused, TaskState.RETIRED)));
        labelled.pipeInput(labelledJson("b", "sentiment", "Awful food", "negative"));
        feedback.pipeInput(feedbackAvro("c", "sentiment", "not bad at all", "negative", "positive", null, T0));
        List<RejectedRecord> dead = rejected.readValuesToList();
        assertEquals(List.of("TASK_RETIRED", "TASK_RETIRED"), dead.stream().map(RejectedRecord::getReasonCode)
                .toList());
        assertEquals("sentiment", dead.get(0).getTask());
        assertEquals("negative", dead.get(0).getLabel());
        assertEquals("task 'sentiment' is retired (catalogue version 3): it takes no new examples",
                dead.get(0).getReason());
        assertTrue(clean.isEmpty());
    }

    @Test
    void longTextIsCutAfterMaskingFlaggedAndCounted() {
        start(SETTINGS, Tasks.withText(SENTIMENT, 3, 40, TextOverflow.TRUNCATE_HEAD),
                Tasks.withText(Tasks.task("topic", "world", "sports"), 3, 40, TextOverflow.TRUNCATE_HEAD_TAIL));
        // The address straddles the cut at 40: cut first, "jane.doe@exa" would escape masking.
        String text = "Write to me at the office or jane.doe@example.com about the refund, soon";
        labelled.pipeInput(labelledJson("a", "sentiment", text, "negative"));
        labelled.pipeInput(labelledJson("b", "sentiment", "Short and sweet", "positive"));
        labelled.pipeInput(labelledJson("c", "topic", "The match started late, rain all afternoon, "
                + "and ended two nil to the visitors", "sports"));

        List<CleanExample> out = clean.readValuesToList();
        assertEquals("Write to me at the office or [EMAIL] abo", out.get(0).getText());
        assertTrue(out.get(0).getTruncated());
        assertEquals(sha256("sentiment\u0000Write to me at the office or [EMAIL] about the refund, soon"),
                out.get(0).getContentHash(), "hashed on the whole cleaned text: stable if max-chars changes");
        assertEquals("Short and sweet", out.get(1).getText());
        assertTrue(!out.get(1).getTruncated());
        assertTrue(out.get(2).getText().contains(TextTruncation.MARKER), out.get(2).getText());
        assertTrue(out.get(2).getText().endsWith("visitors"), out.get(2).getText());
        assertTrue(out.get(2).getTruncated());
        assertTrue(rejected.isEmpty(), "long text is kept, not dead-lettered");
        assertEquals(1.0, counter("ingest.examples.truncated", "task", "sentiment"));
        assertEquals(1.0, counter("ingest.examples.truncated", "task", "topic"));
    }

    @Test
    void labelsAreMatchedIgnoringCaseAndDefaultsFillOptionalFields() {
        start(SETTINGS, SENTIMENT);
        labelled.pipeInput(json("task", "sentiment", "text", "Great value", "label", " POSITIVE ", "weight", 2.5,
                "eventTime", "2026-03-01T09:00:00Z", "attributes", Map.of("locale", "en-GB", "stars", "5")));
        CleanExample example = clean.readValue();
        assertEquals("positive", example.getLabel());
        assertEquals("unknown", example.getSource());
        assertEquals("examples.labelled/0/0", example.getId(), "no id: the source coordinates");
        assertEquals(2.5, example.getWeight());
        assertEquals(Instant.parse("2026-03-01T09:00:00Z"), example.getEventTime());
        assertEquals(Map.of("locale", "en-GB", "stars", "5"), example.getAttributes());
    }

    @Test
    void personalDataIsMaskedWhereTheTaskAsksForIt() {
        start(SETTINGS, SENTIMENT, Tasks.withPii(Tasks.task("raw", "a", "b")));
        String text = "Mail jane.doe@example.com or call +44 20 7946 0958 from 192.168.1.20";
        labelled.pipeInput(labelledJson("1", "sentiment", text, "positive"));
        labelled.pipeInput(labelledJson("2", "raw", text, "a"));
        assertEquals("Mail [EMAIL] or call [PHONE] from [IP]", clean.readValue().getText());
        assertEquals(text, clean.readValue().getText());
    }

    @Test
    void feedbackWithACorrectionOrAConfirmingRatingBecomesAnExample() {
        start(SETTINGS, SENTIMENT);
        feedback.pipeInput(utf8("req-1"), feedbackAvro("req-1", "sentiment", "not bad at all", "negative", "positive",
                null, T0));
        feedback.pipeInput(utf8("req-2"), feedbackAvro("req-2", "sentiment", "truly dreadful", "negative", null, 5,
                T0));
        feedback.pipeInput(utf8("req-3"), feedbackAvro("req-3", "sentiment", "meh, whatever", "positive", null, 3,
                T0));
        feedback.pipeInput(utf8("req-4"), json("requestId", "req-4", "task", "sentiment", "text", "so-so service",
                "predictedLabel", "positive", "correctedLabel", "Negative", "modelVersion", "adapter-2"));
        feedback.pipeInput(utf8("req-5"), feedbackAvro("req-5", "sentiment", "odd one", "negative", "sarcastic",
                null, T0));

        List<CleanExample> examples = clean.readValuesToList();
        assertEquals(List.of("req-1", "req-2", "req-4"), examples.stream().map(CleanExample::getId).toList());
        assertEquals(List.of("positive", "negative", "negative"),
                examples.stream().map(CleanExample::getLabel).toList());
        assertTrue(examples.stream().allMatch(e -> e.getOrigin() == ExampleOrigin.FEEDBACK));
        assertEquals("feedback:adapter-7", examples.get(0).getSource());
        assertEquals("feedback:adapter-2", examples.get(2).getSource());
        RejectedRecord unknownCorrection = rejected.readValue();
        assertEquals("UNKNOWN_LABEL", unknownCorrection.getReasonCode());
        assertEquals(Topics.FEEDBACK_EVENTS.name(), unknownCorrection.getSourceTopic());
        assertTrue(rejected.isEmpty(), "feedback that teaches nothing is ignored, not dead-lettered");
        assertEquals(1.0, counter("ingest.feedback.ignored", "task", "sentiment"));
    }

    @Test
    void lowRatingsFlipTheLabelOnTwoLabelTasksWhenEnabled() {
        start(SETTINGS.withDefaults(IngestSettings.Defaults.builtIn().withFeedbackRatings(4, 2)), SENTIMENT);
        feedback.pipeInput(feedbackAvro("req-1", "sentiment", "the soup was cold", "positive", null, 1, T0));
        feedback.pipeInput(feedbackAvro("req-2", "sentiment", "best soup in town", "positive", null, 4, T0));
        assertEquals(List.of("negative", "positive"),
                clean.readValuesToList().stream().map(CleanExample::getLabel).toList());
    }

    @Test
    void duplicatesWithinTheHorizonAreDroppedAndCountedNotDeadLettered() {
        start(SETTINGS.withDefaults(IngestSettings.Defaults.builtIn().withDedupeHorizon(Duration.ofHours(1))),
                SENTIMENT, Tasks.task("other", "negative", "positive"));
        labelled.pipeInput(new TestRecord<>(utf8("a"), labelledJson("a", "sentiment", "Same text", "positive"),
                Instant.ofEpochMilli(T0)));
        // Same content after normalisation, different id and label: still the same text.
        labelled.pipeInput(new TestRecord<>(utf8("b"), labelledJson("b", "sentiment", " Same \n text ", "negative"),
                Instant.ofEpochMilli(T0 + 60_000)));
        // Same text, another task: another content.
        labelled.pipeInput(new TestRecord<>(utf8("c"), labelledJson("c", "other", "Same text", "positive"),
                Instant.ofEpochMilli(T0 + 61_000)));
        // Past the horizon: accepted again.
        labelled.pipeInput(new TestRecord<>(utf8("d"), labelledJson("d", "sentiment", "Same text", "positive"),
                Instant.ofEpochMilli(T0 + Duration.ofHours(1).toMillis() + 1)));

        assertEquals(List.of("a", "c", "d"), clean.readValuesToList().stream().map(CleanExample::getId).toList());
        assertTrue(rejected.isEmpty());
        assertEquals(1.0, counter("ingest.duplicates", "task", "sentiment"));
    }

    @Test
    void expiredHashesArePurgedByStreamTime() {
        start(SETTINGS.withDefaults(IngestSettings.Defaults.builtIn().withDedupeHorizon(Duration.ofMinutes(10)))
                .withDedupePurgeInterval(Duration.ofMinutes(1)), SENTIMENT);
        for (int i = 0; i < 5; i++) {
            labelled.pipeInput(new TestRecord<>(null, labelledJson(null, "sentiment", "text number " + i, "positive"),
                    Instant.ofEpochMilli(T0 + i)));
        }
        assertEquals(5, dedupeEntries());
        labelled.pipeInput(new TestRecord<>(null, labelledJson(null, "sentiment", "much later", "positive"),
                Instant.ofEpochMilli(T0 + Duration.ofMinutes(15).toMillis())));
        assertEquals(1, dedupeEntries(), "only the recent hash is left");
    }

    @Test
    void windowsCloseByCountWithAllTheirExamplesAlreadyWritten() {
        start(SETTINGS, Tasks.withWindow(SENTIMENT, 3, Duration.ZERO));
        List<CleanExample> examples = new ArrayList<>();
        List<TrainingWindow> manifests = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            labelled.pipeInput(labelledJson("ex-" + i, "sentiment", "example text " + i,
                    i % 2 == 0 ? "positive" : "negative"));
            examples.addAll(clean.readValuesToList());
            for (TrainingWindow manifest : windows.readValuesToList()) {
                long inWindow = examples.stream().filter(e -> e.getWindowId().equals(manifest.getWindowId())).count();
                assertEquals(manifest.getTrainCount() + manifest.getValidationCount() + manifest.getTestCount(),
                        inWindow, "every example of " + manifest.getWindowId() + " precedes its manifest");
                manifests.add(manifest);
            }
        }
        assertEquals(List.of("sentiment-000000", "sentiment-000000", "sentiment-000000", "sentiment-000001",
                "sentiment-000001", "sentiment-000001", "sentiment-000002"),
                examples.stream().map(CleanExample::getWindowId).toList());
        assertEquals(List.of(0L, 1L), manifests.stream().map(TrainingWindow::getSequence).toList());
        assertTrue(manifests.stream().allMatch(m -> m.getCloseReason() == WindowCloseReason.COUNT));
        assertEquals(2.0, counter("ingest.windows.closed", "task", "sentiment"));
    }

    @Test
    void windowsCloseByAgeOnTheWallClockAndEmptyWindowsNeverClose() {
        start(SETTINGS, Tasks.withWindow(SENTIMENT, 0, Duration.ofSeconds(60)));
        labelled.pipeInput(labelledJson("ex-1", "sentiment", "first example", "positive"));
        labelled.pipeInput(labelledJson("ex-2", "sentiment", "second example", "negative"));
        driver.advanceWallClockTime(Duration.ofSeconds(30));
        assertTrue(windows.isEmpty());
        driver.advanceWallClockTime(Duration.ofSeconds(31));
        TrainingWindow manifest = windows.readValue();
        assertEquals("sentiment-000000", manifest.getWindowId());
        assertEquals(WindowCloseReason.TIME, manifest.getCloseReason());
        assertEquals(2, manifest.getTrainCount() + manifest.getValidationCount() + manifest.getTestCount());
        assertEquals(Instant.ofEpochMilli(T0 + 61_000), manifest.getClosedAt());

        driver.advanceWallClockTime(Duration.ofMinutes(5));
        assertTrue(windows.isEmpty(), "an empty window never closes into a manifest");

        labelled.pipeInput(labelledJson("ex-3", "sentiment", "third example", "positive"));
        clean.readValuesToList();
        assertEquals("sentiment-000001", lastWindowIdAfter(List.of()));
    }

    @Test
    void anExampleArrivingAfterTheAgeClosesTheOldWindowFirst() {
        start(SETTINGS.withWindowCheckInterval(Duration.ofHours(1)),
                Tasks.withWindow(SENTIMENT, 0, Duration.ofSeconds(60)));
        labelled.pipeInput(labelledJson("ex-1", "sentiment", "first example", "positive"));
        driver.advanceWallClockTime(Duration.ofSeconds(90)); // the punctuator is not due yet
        assertTrue(windows.isEmpty());
        labelled.pipeInput(labelledJson("ex-2", "sentiment", "second example", "positive"));
        assertEquals(List.of("sentiment-000000", "sentiment-000001"),
                clean.readValuesToList().stream().map(CleanExample::getWindowId).toList());
        assertEquals("sentiment-000000", windows.readValue().getWindowId());
    }

    @Test
    void theManifestDescribesItsWindow() {
        start(SETTINGS, Tasks.withWindow(Tasks.task("topic", "world", "sports", "business"), 5, Duration.ZERO));
        long t = T0 - 10_000;
        pipe("topic", "Goal! The match ended two nil", "sports", t, Map.of("locale", "en"));
        pipe("topic", "The match was delayed by rain", "sports", t + 1, Map.of("locale", "en"));
        pipe("topic", "Late goal wins the match", "sports", t + 2, Map.of("locale", "fr"));
        pipe("topic", "Markets fell sharply on Monday after the central bank raised rates again", "business",
                t - 5, Map.of());
        pipe("topic", "Match report", "sports", t + 3, Map.of("locale", "de"));

        TrainingWindow manifest = windows.readValue();
        assertEquals("topic-000000", manifest.getWindowId());
        assertEquals("topic", manifest.getTask());
        assertEquals(0, manifest.getSequence());
        assertEquals(5, manifest.getTrainCount() + manifest.getValidationCount() + manifest.getTestCount());
        assertEquals(Map.of("world", 0L, "sports", 4L, "business", 1L), manifest.getLabelHistogram());
        assertEquals(4.0, manifest.getImbalanceRatio(), 1e-9, "4 sports over a missing world (counted as 1)");
        assertEquals(Map.of("locale", Map.of("en", 2L, "fr", 1L, "de", 1L)), manifest.getSliceHistogram());
        assertEquals(Instant.ofEpochMilli(t - 5), manifest.getStart());
        assertEquals(Instant.ofEpochMilli(t + 3), manifest.getEnd());
        assertEquals(List.of(8, 16, 32, 64, 128, 256, 512), manifest.getLengthBucketBounds());
        assertEquals(List.of(4L, 1L, 0L, 0L, 0L, 0L, 0L, 0L), manifest.getLengthHistogram());
        assertEquals((6 + 6 + 5 + 12 + 2) / 5.0, manifest.getMeanLength(), 1e-9);
        assertEquals(4L, manifest.getTopTokens().get("match"));
        assertTrue(manifest.getTopTokens().size() <= 20);
        assertEquals(2L, manifest.getTopTokens().get("goal"));
    }

    @Test
    void anOversizedRecordIsDeadLetteredTruncatedRatherThanStoppingTheStream() {
        start(SETTINGS.withDeadLetterMaxBytes(2048).withMaxTextChars(5000), SENTIMENT);
        byte[] huge = labelledJson("big", "sentiment", "y".repeat(9000), "positive");
        labelled.pipeInput(utf8("big"), huge);
        TestRecord<byte[], byte[]> written = rejectedBytes.readRecord();
        RejectedRecord letter = AvroSerde.of(RejectedRecord.class).deserialize("t", written.value());
        assertEquals("TEXT_TOO_LONG", letter.getReasonCode());
        assertTrue(written.key().length + written.value().length <= 2048, "the whole dead letter fits the budget");
        int kept = letter.getOriginalValue().remaining();
        assertTrue(kept > 1500, "most of the budget is the original value: " + kept);
        assertTrue(letter.getReason().contains("truncated from " + huge.length + " to " + kept + " bytes"),
                letter.getReason());
    }

    @Test
    void poisonAvroOnBothInputTopicsIsDeadLetteredAndGoodRecordsFlowOnWithoutTheirHeaders() {
        start(SETTINGS, SENTIMENT);
        labelled.pipeInput(utf8("p1"), Inputs.avroDeclaringTwoBillionByteString(false));
        feedback.pipeInput(utf8("p2"), Inputs.avroDeclaringTwoBillionByteString(true));
        RecordHeaders bulky = new RecordHeaders();
        bulky.add("trace", new byte[100_000]);
        labelled.pipeInput(new TestRecord<>(utf8("g"), labelledJson("g", "sentiment", "good text after", "positive"),
                bulky, Instant.ofEpochMilli(T0)));

        List<TestRecord<byte[], RejectedRecord>> dead = rejected.readRecordsToList();
        assertEquals(2, dead.size());
        for (TestRecord<byte[], RejectedRecord> letter : dead) {
            assertEquals("MALFORMED", letter.value().getReasonCode());
            assertTrue(letter.value().getReason().contains("declares 2000000000 bytes but only 3 remain"),
                    letter.value().getReason());
        }
        TestRecord<String, CleanExample> good = clean.readRecord();
        assertEquals("g", good.value().getId());
        assertEquals(0, good.headers().toArray().length, "input headers are not carried to the outputs");
    }

    private void pipe(String task, String text, String label, long eventTime, Map<String, String> attributes) {
        labelled.pipeInput(json("task", task, "text", text, "label", label, "eventTime", eventTime,
                "attributes", attributes));
    }

    private String lastWindowIdAfter(List<CleanExample> ignored) {
        labelled.pipeInput(labelledJson("probe", "sentiment", "probe example", "positive"));
        List<CleanExample> out = clean.readValuesToList();
        return out.get(out.size() - 1).getWindowId();
    }

    private long dedupeEntries() {
        KeyValueStore<Bytes, Long> store = driver.getKeyValueStore(DedupeProcessor.STORE);
        long n = 0;
        try (KeyValueIterator<Bytes, Long> all = store.all()) {
            while (all.hasNext()) {
                all.next();
                n++;
            }
        }
        return n;
    }

    private double counter(String name, String tag, String value) {
        var counter = registry.find(name).tag(tag, value).counter();
        assertNotNull(counter, name + "{" + tag + "=" + value + "}");
        return counter.count();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
