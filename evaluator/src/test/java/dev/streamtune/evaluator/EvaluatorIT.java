package dev.streamtune.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.streamtune.contract.AvroSerde;
import dev.streamtune.contract.LocalSigningKeys;
import dev.streamtune.contract.RecordSigner;
import dev.streamtune.contract.SignerRole;
import dev.streamtune.contract.TopicSpec;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TopicProvisioner;
import dev.streamtune.model.AdapterArtifact;
import dev.streamtune.model.BuiltInModels;
import dev.streamtune.model.ClassifierConfig;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.DriftReport;
import dev.streamtune.schema.ExampleOrigin;
import dev.streamtune.schema.PromotionDecision;
import dev.streamtune.schema.RetrainRequest;
import dev.streamtune.schema.Split;
import dev.streamtune.schema.TrainingWindow;
import dev.streamtune.schema.Verdict;
import dev.streamtune.testsupport.KafkaBroker;
import dev.streamtune.testsupport.WithKafka;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluator against a real broker and the real MiniLM base model. */
@WithKafka
class EvaluatorIT {

    static final String TASK = "sentiment";
    static final String TOKEN = "s3cret";
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    /** How long to wait for records that must arrive, and for ones that must not. */
    static final Duration ARRIVAL = Duration.ofSeconds(60);
    static final Duration QUIET = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    @Test
    void judgesCandidatesReportsDriftTakesOverridesAndResumesWithoutRepeatingItself(KafkaBroker broker)
            throws Exception {
        new TopicProvisioner(KafkaConnection.plaintext(broker.bootstrapServers())).ensureAll();
        LocalSigningKeys keys = LocalSigningKeys.ensure(dir.resolve("keys"));
        RecordSigner trainer = keys.signer(SignerRole.TRAINER);
        Path adapter = Files.createDirectories(AdapterArtifact.storeUnder(dir).resolve(TASK))
                .resolve("untrained.adapter");
        try (var base = BuiltInModels.miniLm();
             var untrained = TextClassifier.create(base, ClassifierConfig.of(List.of("negative", "positive")))) {
            untrained.save(adapter, Map.of("note", "never trained"));
        }
        AdapterArtifact artifact = AdapterArtifact.of(adapter);

        try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
            send(producer, Topics.CLOSED_WINDOWS, window("sentiment-000000", Map.of("positive", 50L, "negative", 50L),
                    Map.of("food", 20L, "staff", 18L), 0));
            send(producer, Topics.CLOSED_WINDOWS, window("sentiment-000001", Map.of("positive", 90L, "negative", 10L),
                    Map.of("refund", 25L, "delivery", 22L), 30));
            // The reference window's examples are about food and staff; the next window's about refunds and delivery.
            for (int i = 0; i < 40; i++) {
                send(producer, Topics.CLEAN_EXAMPLES, referenceExample(i));
            }
            // Imbalanced test split: answering "positive" always scores 0.8, which is not enough to be promoted.
            for (int i = 0; i < 30; i++) {
                send(producer, Topics.CLEAN_EXAMPLES, testExample(i, i < 24 ? "positive" : "negative"));
            }
            send(producer, Topics.ADAPTER_CANDIDATES,
                    trainer.sign(candidate("c1", artifact.uri().toString(), artifact.sha256())));
            send(producer, Topics.ADAPTER_CANDIDATES,
                    trainer.sign(candidate("c2", artifact.uri().toString(), "0".repeat(64))));
        }

        try (ApplicationContext context = start(broker, dir, keys)) {
            List<PromotionDecision> decisions =
                    read(broker, Topics.PROMOTION_DECISIONS, PromotionDecision.class, 2, ARRIVAL);
            assertEquals(List.of("c1", "c2"), decisions.stream().map(PromotionDecision::getCandidateId).sorted().toList());
            PromotionDecision c1 = decisions.stream().filter(d -> d.getCandidateId().equals("c1")).findFirst()
                    .orElseThrow();
            assertEquals(Verdict.REJECTED, c1.getVerdict(), c1.getReasons().toString());
            assertTrue(c1.getReasons().stream().anyMatch(r -> r.startsWith("FAIL quality: first adapter")),
                    c1.getReasons().toString());
            assertEquals(30, c1.getReport().getCandidate().getTest().getExamples());
            PromotionDecision c2 = decisions.stream().filter(d -> d.getCandidateId().equals("c2")).findFirst()
                    .orElseThrow();
            assertEquals(Verdict.REJECTED, c2.getVerdict());
            assertTrue(c2.getReasons().get(0).contains("SHA-256"), c2.getReasons().toString());

            DriftReport drift = read(broker, Topics.DRIFT_REPORTS, DriftReport.class, 1, ARRIVAL).get(0);
            assertEquals("sentiment-000001", drift.getWindowId());
            assertTrue(drift.getExceeded().contains("input.token.js"), drift.toString());
            assertTrue(drift.getExceeded().contains("input.embedding.auc"), "MiniLM tells the topics apart: "
                    + drift.getScores() + " " + drift.getPValues());
            assertEquals(Map.of("reference", 40L, "current", 30L, "served", 0L, "reference.served", 0L),
                    drift.getSampleSizes());
            RetrainRequest retrain = read(broker, Topics.RETRAIN_REQUESTS, RetrainRequest.class, 1, ARRIVAL).get(0);
            assertEquals(drift.getReportId(), retrain.getDriftReportId());
            assertEquals(drift.getExceeded(), retrain.getSignals().stream().map(s -> s.getTest()).toList(),
                    "retrain-on * acts on every test that fired");
            assertTrue(retrain.getReason().startsWith("drift: "), retrain.getReason());

            HttpClient http = context.getBean(HttpClient.class);
            String base = context.getBean(EmbeddedServer.class).getURL() + "/admin/tasks/" + TASK;
            var unauthorized = org.junit.jupiter.api.Assertions.assertThrows(HttpClientResponseException.class,
                    () -> http.toBlocking().exchange(HttpRequest.POST(base + "/candidates/c1/approve", "")
                            .bearerAuth("wrong")));
            assertEquals(HttpStatus.UNAUTHORIZED, unauthorized.getStatus());
            var withoutToken = org.junit.jupiter.api.Assertions.assertThrows(HttpClientResponseException.class,
                    () -> http.toBlocking().exchange(HttpRequest.POST(base + "/candidates/c1/approve", "")));
            assertEquals(HttpStatus.UNAUTHORIZED, withoutToken.getStatus(), "no Authorization header is 401, not 400");
            assertTrue(withoutToken.getResponse().getBody(String.class).orElse("").contains("bearer token"),
                    withoutToken.getResponse().getBody(String.class).toString());
            assertEquals("Bearer realm=\"streamtune-evaluator\"",
                    withoutToken.getResponse().getHeaders().get(HttpHeaders.WWW_AUTHENTICATE));

            var approved = http.toBlocking().exchange(HttpRequest.POST(base + "/candidates/c1/approve?by=alice", "")
                    .bearerAuth(TOKEN), Map.class);
            assertEquals(HttpStatus.OK, approved.getStatus());
            assertEquals("APPROVED", approved.body().get("verdict"));
            Deployment deployment = read(broker, Topics.DEPLOYMENTS, Deployment.class, 1, ARRIVAL).get(0);
            assertEquals("c1", deployment.getAdapterId());
            assertEquals(artifact.sha256(), deployment.getArtifactSha256());

            var noPrevious = org.junit.jupiter.api.Assertions.assertThrows(HttpClientResponseException.class,
                    () -> http.toBlocking().exchange(HttpRequest.POST(base + "/rollback", "").bearerAuth(TOKEN)));
            assertEquals(HttpStatus.CONFLICT, noPrevious.getStatus());
            var unknown = org.junit.jupiter.api.Assertions.assertThrows(HttpClientResponseException.class,
                    () -> http.toBlocking().exchange(HttpRequest.POST(base + "/candidates/nope/reject", "")
                            .bearerAuth(TOKEN)));
            assertEquals(HttpStatus.NOT_FOUND, unknown.getStatus());
        }

        try (ApplicationContext restarted = start(broker, dir, keys)) {
            EvaluatorService service = restarted.getBean(EvaluatorService.class);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!service.caughtUp() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(service.caughtUp());
            Thread.sleep(2000); // give a buggy replay the chance to re-judge
            assertEquals(3, read(broker, Topics.PROMOTION_DECISIONS, PromotionDecision.class, 4, QUIET).size(),
                    "two judgements and one override, none repeated after the restart");
            assertEquals(1, read(broker, Topics.DRIFT_REPORTS, DriftReport.class, 2, QUIET).size());
        }
    }

    /** The evaluator with its signing key, the trusted keys, and {@code home}'s adapter store. */
    static ApplicationContext start(KafkaBroker broker, Path home, LocalSigningKeys keys) {
        Map<String, Object> properties = new java.util.HashMap<>(Map.of(
                "micronaut.server.port", -1,
                "kafka.bootstrap-servers", broker.bootstrapServers(),
                "evaluator.admin-token", TOKEN,
                "evaluator.candidate-wait-seconds", 10,
                "streamtune.home", home.toString()));
        properties.putAll(keys.properties(SignerRole.EVALUATOR));
        return ApplicationContext.run(EmbeddedServer.class, properties).getApplicationContext();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static void send(KafkaProducer<byte[], byte[]> producer, TopicSpec topic, Object value) throws Exception {
        producer.send(new ProducerRecord<>(topic.name(), TASK.getBytes(StandardCharsets.UTF_8),
                topic.valueSerde((Class) value.getClass()).serialize(topic.name(), value))).get();
    }

    /** Reads until {@code atLeast} records of this test's task arrived or the timeout passed; returns them all. */
    static <T extends org.apache.avro.specific.SpecificRecord> List<T> read(KafkaBroker broker, TopicSpec topic,
                                                                           Class<T> type, int atLeast,
                                                                           Duration timeout) {
        return read(broker, topic, type, TASK, atLeast, timeout);
    }

    /**
     * Reads until {@code atLeast} records of {@code task} arrived or the timeout passed, and returns them all: the
     * test JVM shares one broker, so other tests' records are on the same topics.
     */
    static <T extends org.apache.avro.specific.SpecificRecord> List<T> read(KafkaBroker broker, TopicSpec topic,
                                                                           Class<T> type, String task, int atLeast,
                                                                           Duration timeout) {
        AvroSerde<T> serde = topic.valueSerde(type);
        List<T> values = new ArrayList<>();
        int[] seen = {0};
        broker.read(topic.name(), records -> {
            for (; seen[0] < records.size(); seen[0]++) {
                T value = serde.deserialize(topic.name(), records.get(seen[0]).value());
                if (value != null && task.equals(String.valueOf(value.get(value.getSchema().getField("task").pos())))) {
                    values.add(value);
                }
            }
            return values.size() >= atLeast;
        }, timeout);
        return values;
    }

    static TrainingWindow window(String id, Map<String, Long> labels, Map<String, Long> tokens,
                                         long testCount) {
        return TrainingWindow.newBuilder().setWindowId(id).setTask(TASK).setSequence(Long.parseLong(id.substring(10)))
                .setStart(T0).setEnd(T0.plusSeconds(60)).setClosedAt(T0.plusSeconds(61))
                .setCloseReason(dev.streamtune.schema.WindowCloseReason.COUNT).setTrainCount(70)
                .setValidationCount(15).setTestCount(testCount).setLabelHistogram(labels).setSliceHistogram(Map.of())
                .setImbalanceRatio(1).setLengthHistogram(List.of(10L, 80L, 10L)).setLengthBucketBounds(List.of(8, 32))
                .setMeanLength(12).setTopTokens(tokens).build();
    }

    static CleanExample referenceExample(int i) {
        String text = i % 2 == 0 ? "the food was cold and the soup too salty " + i
                : "lovely staff, our waiter was so friendly " + i;
        return CleanExample.newBuilder().setId("r" + i).setTask(TASK).setText(text)
                .setLabel(i % 2 == 0 ? "negative" : "positive").setSource("it").setOrigin(ExampleOrigin.LABELLED)
                .setEventTime(T0).setAttributes(Map.of()).setWeight(1.0).setSplit(Split.TRAIN)
                .setContentHash("r" + i).setWindowId("sentiment-000000").build();
    }

    static CleanExample testExample(int i, String label) {
        String text = label.equals("positive") ? "the refund arrived quickly, thank you " + i
                : "my delivery never came and nobody answers " + i;
        return CleanExample.newBuilder().setId("e" + i).setTask(TASK).setText(text).setLabel(label).setSource("it")
                .setOrigin(ExampleOrigin.LABELLED).setEventTime(T0).setAttributes(Map.of("locale", i % 2 == 0 ? "en" : "fr"))
                .setWeight(1.0).setSplit(Split.TEST).setContentHash("h" + i).setWindowId("sentiment-000001").build();
    }

    static AdapterCandidate candidate(String id, String uri, String sha) {
        return AdapterCandidate.newBuilder().setCandidateId(id).setTask(TASK).setBaseModelId(BuiltInModels.MINILM_ID)
                .setBaseModelChecksum("-").setWindowIds(List.of("sentiment-000001")).setArtifactUri(uri)
                .setArtifactSha256(sha).setCreatedAt(T0).setHyperparameters(Map.of()).setValidationMetrics(Map.of())
                .build();
    }
}
