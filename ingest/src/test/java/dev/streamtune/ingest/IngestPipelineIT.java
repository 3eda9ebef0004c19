package dev.streamtune.ingest;

import static dev.streamtune.ingest.Inputs.feedbackAvro;
import static dev.streamtune.ingest.Inputs.json;
import static dev.streamtune.ingest.Inputs.labelledAvro;
import static dev.streamtune.ingest.Inputs.labelledJson;
import static dev.streamtune.ingest.Inputs.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.streamtune.contract.AvroCodec;
import dev.streamtune.contract.LocalSigningKeys;
import dev.streamtune.contract.Topics;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.RejectedRecord;
import dev.streamtune.schema.TextOverflow;
import dev.streamtune.schema.TrainingWindow;
import dev.streamtune.testsupport.KafkaBroker;
import dev.streamtune.testsupport.WithKafka;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conservation law on the real broker: every input is in examples.clean exactly once, or in examples.rejected
 * with a reason, or was counted as a duplicate of one that is in examples.clean (or, for feedback that teaches
 * nothing, counted as ignored). Nothing is lost, nothing doubles.
 */
@WithKafka
class IngestPipelineIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path stateDir;
    @TempDir
    Path keysDir;

    @Test
    void everyInputIsCleanOnceOrDeadLetteredOrCountedAsDuplicate(KafkaBroker broker) throws Exception {
        String run = "pipe" + UUID.randomUUID().toString().substring(0, 8);
        String task = run; // this run's own task: records of other runs on the shared broker are not ours
        LocalSigningKeys keys = IngestApp.keys(keysDir);
        Map<String, Object> config = IngestApp.config(broker.bootstrapServers(), "it-" + run, stateDir, keys);
        IngestApp.define(broker.bootstrapServers(), keys, Tasks.withWindow(Tasks.withText(
                Tasks.task(task, "negative", "positive"), 3, 500, TextOverflow.TRUNCATE_HEAD), 40,
                Duration.ofSeconds(2)));

        Map<String, String> expectedClean = new LinkedHashMap<>(); // id -> cleaned text
        Map<String, String> expectedRejected = new LinkedHashMap<>(); // key -> reason code
        Set<String> duplicates = new HashSet<>();
        Set<String> ignored = new HashSet<>();
        Set<String> truncated = new HashSet<>();
        List<ProducerRecord<byte[], byte[]>> inputs = new ArrayList<>();
        String labelled = Topics.LABELLED_EXAMPLES.name();
        String feedback = Topics.FEEDBACK_EVENTS.name();
        long now = System.currentTimeMillis();

        for (int i = 0; i < 200; i++) {
            String id = run + "-good-" + i;
            String text = "Example number " + i + " from run " + run;
            byte[] value = i % 2 == 0 ? labelledJson(id, task, text, i % 3 == 0 ? "negative" : "positive")
                    : labelledAvro(id, task, text, "positive", now);
            inputs.add(new ProducerRecord<>(labelled, utf8(id), value));
            expectedClean.put(id, text);
        }
        for (int i = 0; i < 30; i++) {
            String id = run + "-dup-" + i;
            String text = i < 20 ? "Example number " + i + " from run " + run
                    : "  Example   number " + i + "\tfrom run " + run + "\u200B "; // same once normalised
            inputs.add(new ProducerRecord<>(labelled, utf8(id), labelledJson(id, task, text, "negative")));
            duplicates.add(id);
        }
        List<byte[]> malformed = List.of(utf8("not json at all"), new byte[0], utf8("{\"task\": \"" + task),
                new byte[] {(byte) 0xC3, 0x01, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9}, utf8("[\"an\", \"array\"]"),
                new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 1}, utf8("{}"), json("task", task, "text", 5),
                utf8("{\"task\":\"" + task + "\",\"text\":\"ok text\",\"label\":\"positive\"} trailing"),
                json("task", task, "text", "nested attrs", "label", "positive", "attributes", Map.of("a", Map.of())));
        List<String> malformedCodes = List.of("MALFORMED", "MALFORMED", "MALFORMED", "MALFORMED", "MALFORMED",
                "MALFORMED", "MISSING_FIELD", "INVALID_FIELD", "MALFORMED", "INVALID_FIELD");
        for (int i = 0; i < malformed.size(); i++) {
            String key = run + "-bad-" + i;
            inputs.add(new ProducerRecord<>(labelled, utf8(key), malformed.get(i)));
            expectedRejected.put(key, malformedCodes.get(i));
        }
        for (int i = 0; i < 5; i++) {
            String key = run + "-long-" + i;
            String text = "long " + i + " " + "word ".repeat(100 + i); // over max-chars 500: cut, not rejected
            inputs.add(new ProducerRecord<>(labelled, utf8(key), labelledJson(key, task, text, "positive")));
            expectedClean.put(key, text.strip().substring(0, 500).strip());
            truncated.add(key);
        }
        String hugeKey = run + "-huge";
        byte[] huge = labelledJson(hugeKey, task, "z".repeat(950_000), "positive");
        inputs.add(new ProducerRecord<>(labelled, utf8(hugeKey), huge));
        expectedRejected.put(hugeKey, "TEXT_TOO_LONG");
        for (int i = 0; i < 5; i++) {
            String key = run + "-label-" + i;
            inputs.add(new ProducerRecord<>(labelled, utf8(key), labelledJson(key, task, "some text " + i,
                    "neutral")));
            expectedRejected.put(key, "UNKNOWN_LABEL");
            String otherKey = run + "-task-" + i;
            inputs.add(new ProducerRecord<>(labelled, utf8(otherKey), labelledJson(otherKey, "no-such-" + run,
                    "some text " + i, "positive")));
            expectedRejected.put(otherKey, "UNKNOWN_TASK");
        }
        for (int i = 0; i < 15; i++) {
            String id = run + "-fb-" + i;
            String text = "Feedback text " + i + " of " + run;
            boolean teaches = i < 10;
            inputs.add(new ProducerRecord<>(feedback, utf8(id), feedbackAvro(id, task, text, "negative",
                    teaches ? "positive" : null, teaches ? null : 3, now)));
            if (teaches) {
                expectedClean.put(id, text);
            } else {
                ignored.add(id);
            }
        }

        try (EmbeddedServer server = IngestApp.start(config);
             KafkaProducer<byte[], byte[]> producer = broker.producer()) {
            for (ProducerRecord<byte[], byte[]> input : inputs) {
                producer.send(input);
            }
            producer.flush();

            List<CleanExample> clean = readClean(broker, task, expectedClean.size());
            Map<String, RejectedRecord> rejected = readRejected(broker, run, expectedRejected.size());

            // Clean: exactly the expected ids, each once, with their cleaned text.
            Map<String, Long> timesSeen = clean.stream()
                    .collect(Collectors.groupingBy(CleanExample::getId, Collectors.counting()));
            assertEquals(expectedClean.keySet(), timesSeen.keySet());
            assertTrue(timesSeen.values().stream().allMatch(n -> n == 1), "no example twice: " + timesSeen);
            clean.forEach(e -> assertEquals(expectedClean.get(e.getId()), e.getText()));
            clean.forEach(e -> assertEquals(truncated.contains(e.getId()), e.getTruncated(), e.getId()));

            // Dead letters: exactly the expected keys, with their reasons and original bytes.
            assertEquals(expectedRejected.keySet(), rejected.keySet());
            expectedRejected.forEach((key, code) -> assertEquals(code, rejected.get(key).getReasonCode(),
                    key + ": " + rejected.get(key).getReason()));
            RejectedRecord hugeLetter = rejected.get(hugeKey);
            assertTrue(hugeLetter.getReason().contains("truncated"), hugeLetter.getReason());
            assertEquals(ByteBuffer.wrap(malformed.get(0)), rejected.get(run + "-bad-0").getOriginalValue());
            assertTrue(rejected.values().stream().allMatch(r -> r.getSourceOffset() >= 0
                    && r.getSourceTopic().equals(labelled)));
            assertEquals(task, rejected.get(run + "-label-0").getTask());
            assertEquals("neutral", rejected.get(run + "-label-0").getLabel());
            assertEquals("no-such-" + run, rejected.get(run + "-task-0").getTask());

            // Duplicates and ignored feedback: in neither topic, but counted.
            for (String id : duplicates) {
                assertFalse(timesSeen.containsKey(id) || rejected.containsKey(id), id);
            }
            for (String id : ignored) {
                assertFalse(timesSeen.containsKey(id) || rejected.containsKey(id), id);
            }
            MeterRegistry registry = server.getApplicationContext().getBean(MeterRegistry.class);
            assertEquals(duplicates.size(), registry.get("ingest.duplicates").tag("task", task).counter().count());
            assertEquals(ignored.size(), registry.get("ingest.feedback.ignored").tag("task", task).counter().count());
            assertEquals(truncated.size(), registry.get("ingest.examples.truncated").tag("task", task).counter()
                    .count());
            assertEquals(inputs.size(), expectedClean.size() + expectedRejected.size() + duplicates.size()
                    + ignored.size(), "the test's own bookkeeping covers every input");

            // Windows: every example belongs to exactly one closed window, sequences 0, 1, 2, ...
            List<TrainingWindow> manifests = readManifests(broker, task, expectedClean.size());
            assertEquals(expectedClean.size(), manifests.stream().mapToLong(IngestPipelineIT::size).sum());
            for (int s = 0; s < manifests.size(); s++) {
                assertEquals(s, manifests.get(s).getSequence());
            }
            Map<String, Long> perWindow = clean.stream()
                    .collect(Collectors.groupingBy(CleanExample::getWindowId, Collectors.counting()));
            manifests.forEach(m -> assertEquals(size(m), perWindow.get(m.getWindowId()), m.getWindowId()));

            // The edges: health and Prometheus.
            assertEquals(200, get(server, "/health").statusCode());
            String prometheus = get(server, "/prometheus").body();
            for (String metric : List.of("ingest_records_in_total", "ingest_records_out_total",
                    "ingest_records_rejected_total{reason=\"TEXT_TOO_LONG\"", "ingest_duplicates_total",
                    "ingest_windows_closed_total", "ingest_examples_truncated_total",
                    "kafka_consumer_fetch_manager_records_lag_max")) {
                assertTrue(prometheus.contains(metric), metric + " missing from /prometheus");
            }
        }
    }

    static long size(TrainingWindow manifest) {
        return manifest.getTrainCount() + manifest.getValidationCount() + manifest.getTestCount();
    }

    /** Reads until {@code expected} examples of the task arrived, then a little longer to catch any extra. */
    static List<CleanExample> readClean(KafkaBroker broker, String task, int expected) {
        AvroCodec<CleanExample> codec = AvroCodec.of(CleanExample.class);
        List<ConsumerRecord<byte[], byte[]>> records = broker.read(Topics.CLEAN_EXAMPLES.name(),
                all -> ofTask(all, task).size() >= expected, TIMEOUT);
        long settle = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        List<ConsumerRecord<byte[], byte[]>> settled = broker.read(Topics.CLEAN_EXAMPLES.name(),
                all -> System.nanoTime() > settle, TIMEOUT);
        assertTrue(settled.size() >= records.size());
        return ofTask(settled, task).stream().map(r -> codec.decode(r.value())).toList();
    }

    static List<TrainingWindow> readManifests(KafkaBroker broker, String task, long examples) {
        AvroCodec<TrainingWindow> codec = AvroCodec.of(TrainingWindow.class);
        return ofTask(broker.read(Topics.CLOSED_WINDOWS.name(), all -> ofTask(all, task).stream()
                .mapToLong(r -> size(codec.decode(r.value()))).sum() >= examples, TIMEOUT), task).stream()
                .map(r -> codec.decode(r.value())).toList();
    }

    private static Map<String, RejectedRecord> readRejected(KafkaBroker broker, String run, int expected) {
        AvroCodec<RejectedRecord> codec = AvroCodec.of(RejectedRecord.class);
        Map<String, RejectedRecord> byKey = new HashMap<>();
        broker.read(Topics.REJECTED_RECORDS.name(), all -> all.stream().filter(r -> ours(r, run)).count() >= expected,
                TIMEOUT).stream().filter(r -> ours(r, run)).forEach(r -> {
                    RejectedRecord previous = byKey.put(new String(r.key(), StandardCharsets.UTF_8),
                            codec.decode(r.value()));
                    assertEquals(null, previous, "dead-lettered twice: " + new String(r.key(), StandardCharsets.UTF_8));
                });
        return byKey;
    }

    private static boolean ours(ConsumerRecord<byte[], byte[]> record, String run) {
        return record.key() != null && new String(record.key(), StandardCharsets.UTF_8).startsWith(run + "-");
    }

    static List<ConsumerRecord<byte[], byte[]>> ofTask(List<ConsumerRecord<byte[], byte[]>> records,
                                                               String task) {
        return records.stream().filter(r -> r.key() != null
                && task.equals(new String(r.key(), StandardCharsets.UTF_8))).toList();
    }

    private static HttpResponse<String> get(EmbeddedServer server, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.getURL() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
