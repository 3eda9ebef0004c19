package dev.streamtune.ingest;

import static dev.streamtune.ingest.Inputs.labelledJson;
import static dev.streamtune.ingest.Inputs.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.streamtune.contract.AvroCodec;
import dev.streamtune.contract.LocalSigningKeys;
import dev.streamtune.contract.Topics;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.RejectedRecord;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.schema.TaskState;
import dev.streamtune.testsupport.KafkaBroker;
import dev.streamtune.testsupport.WithKafka;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest follows the task catalogue on the real broker, through the real service, with no restart: records waiting
 * for it at start-up are judged against the catalogue (not dead-lettered as UNKNOWN_TASK); a label appended in
 * version 2 mid-stream is accepted from then on; a 5,000-character review lands truncated and flagged; once the
 * task is retired, its new examples are dead-lettered as TASK_RETIRED.
 */
@WithKafka
class LiveTaskCatalogueIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path stateDir;
    @TempDir
    Path keysDir;

    @Test
    void ingestFollowsTheCatalogueMidStreamWithoutARestart(KafkaBroker broker) throws Exception {
        String run = "live" + UUID.randomUUID().toString().substring(0, 8);
        String task = run;
        String bootstrap = broker.bootstrapServers();
        LocalSigningKeys keys = IngestApp.keys(keysDir);
        TaskDefinition v1 = Tasks.withWindow(Tasks.task(task, "negative", "positive"), 1000, Duration.ofSeconds(1));
        IngestApp.define(bootstrap, keys, v1);

        try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
            // Given records that wait for ingest before it starts
            for (int i = 0; i < 20; i++) {
                send(producer, run + "-early-" + i, task, "Waiting review number " + i, i % 2 == 0 ? "negative"
                        : "positive");
            }
            try (EmbeddedServer server = IngestApp.start(IngestApp.config(bootstrap, "it-" + run, stateDir, keys))) {
                IngestService service = server.getApplicationContext().getBean(IngestService.class);
                assertTrue(service.catalogueRead());
                String health = get(server, "/health");
                assertTrue(health.contains("\"catalogue\":\"read: "), health);

                // Then they are judged against the catalogue, not against an empty one
                assertEquals(20, readClean(broker, task, 20).size(), "records waiting at start-up are ingested");

                // When a label arrives before the catalogue has it, it is dead-lettered naming task and label
                send(producer, run + "-neutral-before", task, "It was fine, nothing special", "neutral");
                RejectedRecord before = readRejected(broker, run + "-neutral-before");
                assertEquals("UNKNOWN_LABEL", before.getReasonCode());
                assertEquals(task, before.getTask());
                assertEquals("neutral", before.getLabel());

                // When version 2 appends the label mid-stream, and its examples are sent right after it
                IngestApp.define(bootstrap, keys, Tasks.withLabelsAdded(v1, "neutral"));
                for (int i = 0; i < 5; i++) {
                    send(producer, run + "-neutral-" + i, task, "An ordinary evening number " + i, "Neutral");
                }
                // Then they land in examples.clean, with no restart: ingest reads the catalogue up to their time
                // before it would reject them
                List<CleanExample> neutral = readClean(broker, task, 25).stream()
                        .filter(e -> e.getLabel().equals("neutral")).toList();
                assertEquals(5, neutral.size(), "the appended label is accepted from version 2 on");

                // When a 5,000-character review arrives
                String review = longReview(5_000);
                send(producer, run + "-long", task, review, "positive");
                CleanExample cut = readClean(broker, task, 26).stream()
                        .filter(e -> e.getId().equals(run + "-long")).findFirst().orElseThrow();
                // Then it lands truncated to the task's 2,000 characters, and says so
                assertTrue(cut.getTruncated());
                assertTrue(cut.getText().length() <= 2000 && cut.getText().length() > 1900, "" + cut.getText()
                        .length());
                assertTrue(review.startsWith(cut.getText()), "the head is kept");

                // When the task is retired
                TaskDefinition v2 = service.catalogue().find(task).orElseThrow();
                IngestApp.define(bootstrap, keys, Tasks.inState(v2, TaskState.RETIRED));
                awaitVersion(service, task, 3);
                send(producer, run + "-retired", task, "A review for a retired task", "positive");
                // Then its new examples are dead-lettered as TASK_RETIRED
                RejectedRecord retired = readRejected(broker, run + "-retired");
                assertEquals("TASK_RETIRED", retired.getReasonCode());
                assertEquals(task, retired.getTask());
                assertEquals(26, readClean(broker, task, 26).size(), "nothing of the retired task was cleaned");
            }
        }
    }

    /** A product review as people write them: sentences of different lengths, repeated until {@code chars}. */
    private static String longReview(int chars) {
        String[] sentences = {
            "I bought this kettle for my parents after our old one started leaking around the base.",
            "Delivery was quick, and the box arrived without a dent, which is more than I can say for the last order.",
            "It boils a full litre in just under three minutes, noticeably faster than the one it replaced.",
            "The lid opens with a button that is a little stiff at first but loosens after a week of use.",
            "My only complaint is the water window, which is hard to read from the side in a dim kitchen.",
            "Customer service answered my question about descaling within a day and were genuinely helpful.",
            "All in all, good value for the price, and I would buy it again without hesitation."};
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < chars; i++) {
            text.append(sentences[i % sentences.length]).append(' ');
        }
        return text.substring(0, chars).strip();
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String id, String task, String text,
                             String label) throws Exception {
        producer.send(new ProducerRecord<>(Topics.LABELLED_EXAMPLES.name(), utf8(id),
                labelledJson(id, task, text, label))).get(30, TimeUnit.SECONDS);
    }

    private static void awaitVersion(IngestService service, String task, long version) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (service.catalogue().find(task).map(TaskDefinition::getVersion).orElse(0L) < version) {
            assertTrue(System.nanoTime() < deadline, "ingest never saw version " + version + " of " + task);
            Thread.sleep(50);
        }
    }

    private static List<CleanExample> readClean(KafkaBroker broker, String task, int expected) {
        List<CleanExample> clean = IngestPipelineIT.readClean(broker, task, expected);
        Set<String> ids = clean.stream().map(CleanExample::getId).collect(Collectors.toSet());
        assertEquals(clean.size(), ids.size(), "no example twice");
        return clean;
    }

    private static RejectedRecord readRejected(KafkaBroker broker, String key) {
        AvroCodec<RejectedRecord> codec = AvroCodec.of(RejectedRecord.class);
        Map<String, RejectedRecord> found = broker.read(Topics.REJECTED_RECORDS.name(),
                all -> all.stream().anyMatch(r -> hasKey(r, key)), TIMEOUT).stream().filter(r -> hasKey(r, key))
                .collect(Collectors.toMap(r -> key, r -> codec.decode(r.value())));
        assertTrue(found.containsKey(key), "no dead letter for " + key);
        return found.get(key);
    }

    private static boolean hasKey(ConsumerRecord<byte[], byte[]> record, String key) {
        return record.key() != null && key.equals(new String(record.key(), StandardCharsets.UTF_8));
    }

    private static String get(EmbeddedServer server, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.getURL() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
