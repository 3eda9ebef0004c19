package dev.streamtune.evaluator;

import static dev.streamtune.evaluator.EvaluatorIT.TASK;
import static dev.streamtune.evaluator.EvaluatorIT.TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.streamtune.contract.LocalSigningKeys;
import dev.streamtune.contract.RecordSigner;
import dev.streamtune.contract.SignerRole;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TopicProvisioner;
import dev.streamtune.model.AdapterArtifact;
import dev.streamtune.model.BuiltInModels;
import dev.streamtune.model.ClassifierConfig;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.FeedbackEvent;
import dev.streamtune.schema.PredictionLog;
import dev.streamtune.schema.PromotionDecision;
import dev.streamtune.schema.RolloutStage;
import dev.streamtune.schema.ServingRole;
import dev.streamtune.schema.Verdict;
import dev.streamtune.testsupport.KafkaBroker;
import dev.streamtune.testsupport.WithKafka;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollouts through the real evaluator and broker: the live traffic serving would log (answers on predictions.log,
 * user corrections on feedback.events) is written here at chosen correction rates, and the evaluator must walk each
 * approved candidate through shadow and canary to 100%, or roll it back, writing every step as a decision and a
 * deployment.
 */
@WithKafka
class RolloutIT {

    /** Shadow on half the requests until 20 pairs, then a canary on 50% of keys, then 100%. */
    private static final Map<String, Object> ROLLOUT = Map.of(
            "evaluator.rollout.first-share", 0.5,
            "evaluator.rollout.step-factor", 2,
            "evaluator.rollout.shadow-share", 0.5,
            "evaluator.rollout.shadow-min-pairs", 20,
            "evaluator.rollout.min-served", 100,
            "evaluator.rollout.min-step-duration", "1s",
            "evaluator.rollout.max-error-increase", 0.1);
    private static final Duration ARRIVAL = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private KafkaBroker broker;

    @Test
    void aGoodCandidateReachesAllTrafficABadOneIsRolledBackAndOperatorsCanPromote(KafkaBroker broker)
            throws Exception {
        this.broker = broker;
        new TopicProvisioner(KafkaConnection.plaintext(broker.bootstrapServers())).ensureAll();
        LocalSigningKeys keys = LocalSigningKeys.ensure(dir.resolve("keys"));
        RecordSigner trainer = keys.signer(SignerRole.TRAINER);
        Path adapter = Files.createDirectories(AdapterArtifact.storeUnder(dir).resolve(TASK)).resolve("a.adapter");
        try (var base = BuiltInModels.miniLm();
             var classifier = TextClassifier.create(base, ClassifierConfig.of(List.of("negative", "positive")))) {
            // As if trained on both labels, so that the gate compares a later candidate with the champion on them
            classifier.assumeLearned(List.of("negative", "positive"));
            classifier.save(adapter, Map.of("note", "the same weights under every id: the live evidence decides"));
        }
        AdapterArtifact artifact = AdapterArtifact.of(adapter);
        try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
            EvaluatorIT.send(producer, Topics.CLOSED_WINDOWS, EvaluatorIT.window("sentiment-000001",
                    Map.of("positive", 24L, "negative", 6L), Map.of("refund", 25L), 30));
            for (int i = 0; i < 30; i++) {
                EvaluatorIT.send(producer, Topics.CLEAN_EXAMPLES, EvaluatorIT.testExample(i,
                        i < 24 ? "positive" : "negative"));
            }
            for (String id : List.of("champ", "good", "third")) {
                EvaluatorIT.send(producer, Topics.ADAPTER_CANDIDATES,
                        trainer.sign(EvaluatorIT.candidate(id, artifact.uri().toString(), artifact.sha256())));
            }
        }

        Map<String, Object> properties = new java.util.HashMap<>(ROLLOUT);
        properties.putAll(Map.of("micronaut.server.port", -1, "kafka.bootstrap-servers", broker.bootstrapServers(),
                "evaluator.admin-token", TOKEN, "evaluator.candidate-wait-seconds", 10,
                "streamtune.home", dir.toString()));
        properties.putAll(keys.properties(SignerRole.EVALUATOR));
        try (ApplicationContext context = ApplicationContext.run(EmbeddedServer.class, properties)
                .getApplicationContext();
             KafkaProducer<byte[], byte[]> producer = broker.producer()) {
            HttpClient http = context.getBean(HttpClient.class);
            String admin = context.getBean(EmbeddedServer.class).getURL() + "/admin/tasks/" + TASK;
            // The gate rejects untrained adapters on their own; operators approve them to start each rollout.
            decided("champ", Verdict.REJECTED);
            decided("good", Verdict.REJECTED);
            approve(http, admin, "champ");
            assertEquals("champ", latestDeployment(broker, d -> d.getTrial() == null).getAdapterId(),
                    "a task's first adapter has no champion beside it: deployed at once");

            // good: shadow first (it agrees with the champion), then the canary at 50%, then 100%
            approve(http, admin, "good");
            Deployment shadow = latestDeployment(broker, d -> d.getTrial() != null);
            assertEquals("champ", shadow.getAdapterId());
            assertEquals("good", shadow.getTrial().getCandidateId());
            assertEquals(RolloutStage.SHADOW, shadow.getTrial().getStage());
            assertEquals(0.5, shadow.getTrial().getShare());
            shadowPairs(producer, "good", "champ", 20, 2);
            PromotionDecision toCanary = decided("good", Verdict.ADVANCED);
            assertTrue(toCanary.getReasons().get(0).startsWith("shadow: candidate disagrees with the champion on "
                    + "2 of 20"), toCanary.getReasons().toString());
            Deployment canary = latestDeployment(broker, d -> d.getTrial() != null
                    && d.getTrial().getStage() == RolloutStage.CANARY);
            assertEquals(0.5, canary.getTrial().getShare());
            assertEquals(1, canary.getTrial().getStep());
            // bad arrives while good's canary runs; the gate approves it (the champion's own weights) and it
            // waits: one rollout at a time
            EvaluatorIT.send(producer, Topics.ADAPTER_CANDIDATES,
                    trainer.sign(EvaluatorIT.candidate("bad", artifact.uri().toString(), artifact.sha256())));
            PromotionDecision waits = decided("bad", Verdict.APPROVED);
            assertEquals("gate", waits.getDecidedBy());
            assertTrue(waits.getReasons().contains("ROLLOUT waits for the rollout of good to end"),
                    waits.getReasons().toString());
            serve(producer, "champ", ServingRole.CHAMPION, 300, 15);
            serve(producer, "good", ServingRole.CANARY, 300, 12);
            PromotionDecision promoted = decidedAfter("good", Verdict.ADVANCED, toCanary);
            assertTrue(promoted.getReasons().get(0).startsWith("canary 50% (step 1 of 2): candidate corrected on")
                    && promoted.getReasons().get(0).contains("within 0.1"), promoted.getReasons().toString());
            Deployment done = EvaluatorIT.read(broker, Topics.DEPLOYMENTS, Deployment.class, Integer.MAX_VALUE,
                    Duration.ofSeconds(2)).stream().filter(d -> d.getDecisionId().equals(promoted.getDecisionId()))
                    .findFirst().orElseThrow();
            assertEquals("good", done.getAdapterId());
            assertNull(done.getTrial());
            assertEquals("champ", done.getPreviousAdapterId());

            // bad starts once good is done: it agrees in shadow, but users correct 30% of its canary answers
            // against 5% of the champion's
            latestDeployment(broker, d -> d.getTrial() != null && d.getTrial().getCandidateId().equals("bad"));
            shadowPairs(producer, "bad", "good", 20, 0);
            decided("bad", Verdict.ADVANCED);
            serve(producer, "good", ServingRole.CHAMPION, 200, 10);
            serve(producer, "bad", ServingRole.CANARY, 200, 60);
            PromotionDecision rolledBack = decided("bad", Verdict.ROLLED_BACK);
            assertEquals("gate", rolledBack.getDecidedBy());
            assertTrue(rolledBack.getReasons().get(0).startsWith("ROLLBACK canary 50% (step 1 of 2): "
                    + "candidate corrected on") && rolledBack.getReasons().get(0).contains("worse with p"),
                    rolledBack.getReasons().toString());
            Deployment after = latestDeployment(broker, d -> d.getDecisionId().equals(rolledBack.getDecisionId()));
            assertEquals("good", after.getAdapterId());
            assertNull(after.getTrial());

            // third: an operator's approval of champ replaces its rollout at once (the gate's would wait), then
            // the operator promotes champ from shadow; promote answers 409 once no rollout runs
            approve(http, admin, "third");
            latestDeployment(broker, d -> d.getTrial() != null && d.getTrial().getCandidateId().equals("third"));
            var status = http.toBlocking().exchange(HttpRequest.GET(admin + "/rollout").bearerAuth(TOKEN), Map.class);
            assertEquals("SHADOW", status.body().get("stage"));
            assertEquals("third", status.body().get("candidate"));
            var again = http.toBlocking().exchange(HttpRequest.POST(admin + "/candidates/champ/approve?by=alice", "")
                    .bearerAuth(TOKEN), Map.class);
            assertTrue(again.body().get("reasons").toString().contains("ROLLOUT replaces the rollout of third"),
                    again.body().toString());
            latestDeployment(broker, d -> d.getTrial() != null && d.getTrial().getCandidateId().equals("champ"));
            var promote = http.toBlocking().exchange(HttpRequest.POST(admin + "/rollout/promote?by=alice", "")
                    .bearerAuth(TOKEN), Map.class);
            assertEquals("ADVANCED", promote.body().get("verdict"));
            Deployment promotedByHand = latestDeployment(broker, d -> d.getTrial() == null);
            assertEquals("champ", promotedByHand.getAdapterId());
            assertEquals("good", promotedByHand.getPreviousAdapterId());
            var none = org.junit.jupiter.api.Assertions.assertThrows(
                    io.micronaut.http.client.exceptions.HttpClientResponseException.class,
                    () -> http.toBlocking().exchange(HttpRequest.POST(admin + "/rollout/promote", "")
                            .bearerAuth(TOKEN)));
            assertEquals(HttpStatus.CONFLICT, none.getStatus());
        }
    }

    private PromotionDecision decided(String candidate, Verdict verdict) {
        return decidedAfter(candidate, verdict, null);
    }

    /** The first decision on {@code candidate} with {@code verdict} that is not {@code earlier}. */
    private PromotionDecision decidedAfter(String candidate, Verdict verdict, PromotionDecision earlier) {
        long deadline = System.nanoTime() + ARRIVAL.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<PromotionDecision> found = EvaluatorIT.read(broker, Topics.PROMOTION_DECISIONS,
                            PromotionDecision.class, Integer.MAX_VALUE, Duration.ofSeconds(1)).stream()
                    .filter(d -> d.getCandidateId().equals(candidate) && d.getVerdict() == verdict)
                    .filter(d -> earlier == null || !d.getDecisionId().equals(earlier.getDecisionId()))
                    .findFirst();
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new AssertionError("no " + verdict + " decision on " + candidate);
    }

    private Deployment latestDeployment(KafkaBroker broker, java.util.function.Predicate<Deployment> wanted) {
        long deadline = System.nanoTime() + ARRIVAL.toNanos();
        while (System.nanoTime() < deadline) {
            List<Deployment> all = EvaluatorIT.read(broker, Topics.DEPLOYMENTS, Deployment.class, Integer.MAX_VALUE,
                    Duration.ofSeconds(1));
            if (!all.isEmpty() && wanted.test(all.get(all.size() - 1))) {
                return all.get(all.size() - 1);
            }
        }
        throw new AssertionError("the latest deployment never became the one wanted");
    }

    private static void approve(HttpClient http, String admin, String candidate) {
        var approved = http.toBlocking().exchange(HttpRequest.POST(admin + "/candidates/" + candidate
                + "/approve?by=alice", "").bearerAuth(TOKEN), Map.class);
        assertEquals("APPROVED", approved.body().get("verdict"));
    }

    /** {@code pairs} shadow answers of {@code candidate}, {@code disagreements} of them unlike the champion's. */
    private static void shadowPairs(KafkaProducer<byte[], byte[]> producer, String candidate, String champion,
                                    int pairs, int disagreements) throws Exception {
        for (int i = 0; i < pairs; i++) {
            EvaluatorIT.send(producer, Topics.PREDICTION_LOG, prediction(candidate, ServingRole.SHADOW,
                    i < disagreements ? "negative" : "positive").setChampionLabel("positive")
                    .setChampionConfidence(0.8).setChampionLatencyMicros(900L).build());
        }
    }

    /**
     * {@code served} answers users got from {@code adapter}; they corrected {@code corrected} of them, spread
     * evenly, so that the evaluator, judging while they arrive, sees the same rate all along.
     */
    private static void serve(KafkaProducer<byte[], byte[]> producer, String adapter, ServingRole role, int served,
                              int corrected) throws Exception {
        for (int i = 0; i < served; i++) {
            PredictionLog answer = prediction(adapter, role, "positive").build();
            EvaluatorIT.send(producer, Topics.PREDICTION_LOG, answer);
            if ((long) i * corrected / served != (long) (i + 1) * corrected / served) { // spread evenly
                EvaluatorIT.send(producer, Topics.FEEDBACK_EVENTS, FeedbackEvent.newBuilder()
                        .setRequestId(answer.getRequestId()).setTask(TASK).setModelVersion(adapter)
                        .setText(answer.getText()).setPredictedLabel("positive").setCorrectedLabel("negative")
                        .setEventTime(Instant.now()).build());
            }
        }
    }

    private static PredictionLog.Builder prediction(String adapter, ServingRole role, String label) {
        return PredictionLog.newBuilder().setRequestId(UUID.randomUUID().toString()).setTask(TASK)
                .setAdapterId(adapter).setText("the refund arrived").setPredictedLabel(label)
                .setProbabilities(Map.of(label, 0.8)).setServedAt(Instant.now()).setLatencyMicros(1000L)
                .setRole(role);
    }
}
