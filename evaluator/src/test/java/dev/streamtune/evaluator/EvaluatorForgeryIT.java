package dev.streamtune.evaluator;

import static dev.streamtune.evaluator.EvaluatorIT.ARRIVAL;
import static dev.streamtune.evaluator.EvaluatorIT.TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.streamtune.contract.LocalSigningKeys;
import dev.streamtune.contract.RecordSigner;
import dev.streamtune.contract.RecordVerifier;
import dev.streamtune.contract.SignerRole;
import dev.streamtune.contract.SigningKey;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TopicProvisioner;
import dev.streamtune.model.AdapterArtifact;
import dev.streamtune.model.BaseModel;
import dev.streamtune.model.BuiltInModels;
import dev.streamtune.model.ClassifierConfig;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.PromotionDecision;
import dev.streamtune.schema.TrainingWindow;
import dev.streamtune.schema.Verdict;
import dev.streamtune.testsupport.KafkaBroker;
import dev.streamtune.testsupport.WithKafka;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Control records written by someone other than their author, with a plain producer: the evaluator must neither
 * let a forged verdict pre-empt the real judgement, nor let a record reusing an old candidate id change what a
 * rollback deploys.
 */
@WithKafka
class EvaluatorForgeryIT {

    /** Apart from EvaluatorIT's task: the test JVM shares one broker. */
    private static final String TASK = "forgery";
    private static final String FIRST = "cand-forgery-000001";
    private static final String SECOND = "cand-forgery-000002";

    @TempDir
    Path home;

    @Test
    void forgedRecordsNeitherPreemptAJudgementNorSwapTheArtifactARollbackRestores(KafkaBroker broker)
            throws Exception {
        new TopicProvisioner(KafkaConnection.plaintext(broker.bootstrapServers())).ensureAll();
        LocalSigningKeys keys = LocalSigningKeys.ensure(home.resolve("keys"));
        RecordSigner trainer = keys.signer(SignerRole.TRAINER);
        RecordVerifier verifier = new RecordVerifier(keys.trusted(), RecordVerifier.Rejections.NONE);
        Path store = Files.createDirectories(AdapterArtifact.storeUnder(home).resolve(TASK));
        AdapterArtifact first;
        AdapterArtifact second;
        AdapterArtifact evil;
        try (BaseModel base = BuiltInModels.miniLm()) {
            first = adapter(base, store.resolve(FIRST + ".adapter"), 1);
            second = adapter(base, store.resolve(SECOND + ".adapter"), 2);
            evil = adapter(base, store.resolve("evil.adapter"), 666);
        }

        try (ApplicationContext context = EvaluatorIT.start(broker, home, keys);
             KafkaProducer<byte[], byte[]> producer = broker.producer()) {
            EvaluatorService service = context.getBean(EvaluatorService.class);
            long deadline = System.nanoTime() + ARRIVAL.toNanos();
            while (!service.caughtUp() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            for (String window : List.of("forgery-000001", "forgery-000002")) {
                EvaluatorIT.send(producer, Topics.CLOSED_WINDOWS, TrainingWindow.newBuilder(EvaluatorIT.window(
                        "sentiment-000001", Map.of("positive", 50L, "negative", 50L), Map.of("food", 20L), 0))
                        .setWindowId(window).setTask(TASK).build());
            }

            // Given forged REJECTED verdicts for the next, predictable candidate id: unsigned, signed by an unknown
            // key, and signed by a stranger under the evaluator's own key id.
            PromotionDecision forged = PromotionDecision.newBuilder().setDecisionId("forged-1").setCandidateId(FIRST)
                    .setTask(TASK).setVerdict(Verdict.REJECTED).setReasons(List.of("FAIL forged"))
                    .setDecidedBy("gate").setDecidedAt(Instant.now()).build();
            String evaluatorKeyId = SigningKey.load(keys.privateKey(SignerRole.EVALUATOR)).keyId();
            EvaluatorIT.send(producer, Topics.PROMOTION_DECISIONS, forged);
            EvaluatorIT.send(producer, Topics.PROMOTION_DECISIONS,
                    stranger("evaluator-unknown").sign(PromotionDecision.newBuilder(forged).setDecisionId("forged-2")
                            .build()));
            EvaluatorIT.send(producer, Topics.PROMOTION_DECISIONS,
                    stranger(evaluatorKeyId).sign(PromotionDecision.newBuilder(forged).setDecisionId("forged-3")
                            .build()));

            // When the real candidate arrives, then the gate judges it all the same.
            EvaluatorIT.send(producer, Topics.ADAPTER_CANDIDATES, trainer.sign(candidate(FIRST, first)));
            PromotionDecision judged = awaitDecision(broker, verifier, FIRST, "gate");
            assertEquals(first.sha256(), judged.getArtifactSha256(), "the verdict names the judged artifact");

            // Deploy it, then a second adapter after it.
            HttpClient http = context.getBean(HttpClient.class);
            String admin = context.getBean(EmbeddedServer.class).getURL() + "/admin/tasks/" + TASK;
            http.toBlocking().exchange(HttpRequest.POST(admin + "/candidates/" + FIRST + "/approve", "")
                    .bearerAuth(TOKEN), Map.class);
            EvaluatorIT.send(producer, Topics.ADAPTER_CANDIDATES, trainer.sign(candidate(SECOND, second)));
            awaitDecision(broker, verifier, SECOND, "gate");
            http.toBlocking().exchange(HttpRequest.POST(admin + "/candidates/" + SECOND + "/approve", "")
                    .bearerAuth(TOKEN), Map.class);

            // Given candidates reusing the first id for the attacker's file: unsigned, and even validly signed.
            AdapterCandidate reused = candidate(FIRST, evil);
            EvaluatorIT.send(producer, Topics.ADAPTER_CANDIDATES, reused);
            EvaluatorIT.send(producer, Topics.ADAPTER_CANDIDATES, trainer.sign(reused));
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            awaitCount(meters, "reused_id", 1);

            // When an operator rolls back, then the first adapter's own file is deployed again.
            http.toBlocking().exchange(HttpRequest.POST(admin + "/rollback?by=alice", "").bearerAuth(TOKEN),
                    Map.class);
            List<Deployment> deployments = EvaluatorIT.read(broker, Topics.DEPLOYMENTS, Deployment.class, TASK, 3,
                    ARRIVAL);
            assertEquals(List.of(FIRST, SECOND, FIRST), deployments.stream().map(Deployment::getAdapterId).toList());
            Deployment rollback = deployments.get(2);
            assertEquals(first.sha256(), rollback.getArtifactSha256());
            assertEquals(first.uri().toString(), rollback.getArtifactUri());
            deployments.forEach(d -> assertEquals(Optional.empty(), verifier.check(d), "signed by the evaluator"));

            assertTrue(count(meters, "not_signed") >= 2, "the unsigned decision and candidate");
            assertTrue(count(meters, "unknown_key") >= 1);
            assertTrue(count(meters, "bad_signature") >= 1);
        }
    }

    private static RecordSigner stranger(String keyId) {
        return new RecordSigner(SigningKey.generate(SignerRole.EVALUATOR, keyId).signingKey());
    }

    private static AdapterArtifact adapter(BaseModel base, Path file, long seed) throws Exception {
        try (TextClassifier classifier = TextClassifier.create(base,
                ClassifierConfig.of(List.of("negative", "positive")).withSeed(seed))) {
            classifier.save(file, Map.of("seed", Long.toString(seed)));
        }
        return AdapterArtifact.of(file);
    }

    private static AdapterCandidate candidate(String id, AdapterArtifact artifact) {
        return AdapterCandidate.newBuilder(EvaluatorIT.candidate(id, artifact.uri().toString(), artifact.sha256()))
                .setTask(TASK).setWindowIds(List.of("forgery-00000" + id.charAt(id.length() - 1))).build();
    }

    /** The one validly signed decision on {@code candidateId} by {@code decidedBy}. */
    private static PromotionDecision awaitDecision(KafkaBroker broker, RecordVerifier verifier, String candidateId,
                                                   String decidedBy) throws InterruptedException {
        long deadline = System.nanoTime() + ARRIVAL.toNanos();
        while (System.nanoTime() < deadline) {
            List<PromotionDecision> found = EvaluatorIT.read(broker, Topics.PROMOTION_DECISIONS,
                    PromotionDecision.class, TASK, Integer.MAX_VALUE, Duration.ofSeconds(2)).stream()
                    .filter(d -> d.getCandidateId().equals(candidateId) && d.getDecidedBy().equals(decidedBy)
                            && verifier.check(d).isEmpty()).toList();
            if (!found.isEmpty()) {
                assertEquals(1, found.size(), found.toString());
                return found.get(0);
            }
        }
        throw new AssertionError("No decision by " + decidedBy + " on " + candidateId + " within " + ARRIVAL);
    }

    private static void awaitCount(MeterRegistry meters, String reason, double atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + ARRIVAL.toNanos();
        while (count(meters, reason) < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(count(meters, reason) >= atLeast, reason);
    }

    private static double count(MeterRegistry meters, String reason) {
        return meters.find(RecordVerifier.REJECTED_METER).tag("reason", reason).counters().stream()
                .mapToDouble(Counter::count).sum();
    }
}
