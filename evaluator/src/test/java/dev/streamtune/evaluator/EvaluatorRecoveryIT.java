package dev.streamtune.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import dev.streamtune.contract.LocalSigningKeys;
import dev.streamtune.contract.SignerRole;
import dev.streamtune.contract.TopicSpec;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TopicProvisioner;
import dev.streamtune.model.AdapterArtifact;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.PromotionDecision;
import dev.streamtune.schema.Verdict;
import dev.streamtune.testsupport.KafkaBroker;
import dev.streamtune.testsupport.WithKafka;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluator keeps deciding when its transactional id is taken over by an outside producer, and when its input
 * topics hold records the codec refuses. Candidates here carry a wrong SHA-256, so each is judged (rejected) at once
 * without scoring; the operator's approval then writes a deployment.
 */
@WithKafka
class EvaluatorRecoveryIT {

    private static final String TASK = "sentiment";
    private static final String TOKEN = "s3cret";
    private static final Duration ARRIVAL = Duration.ofSeconds(60);
    private static final Duration QUIET = Duration.ofSeconds(3);

    @TempDir
    Path home;

    @Test
    void keepsDecidingAfterAnOutsideProducerFencesItsTransactionalIdAndSkipsUnreadableRecords(KafkaBroker broker)
            throws Exception {
        new TopicProvisioner(KafkaConnection.plaintext(broker.bootstrapServers())).ensureAll();
        try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
            // Undecodable records on control topics: skipped and counted, never a stop.
            sendRaw(producer, Topics.DEPLOYMENTS, "not a deployment".getBytes(StandardCharsets.UTF_8));
            sendRaw(producer, Topics.ADAPTER_CANDIDATES, new byte[] {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9});
            send(producer, Topics.ADAPTER_CANDIDATES, signedCandidate("c1"));
        }

        try (ApplicationContext context = start(broker)) {
            assertEquals(List.of("c1"), candidateIds(read(broker, Topics.PROMOTION_DECISIONS, 1, ARRIVAL)));
            EvaluatorService service = context.getBean(EvaluatorService.class);
            assertEquals(Map.of("adapters.candidates", 1L, "deployments", 1L), service.skippedRecords());

            fenceTheEvaluatorsTransactionalId(broker);

            HttpClient http = context.getBean(HttpClient.class);
            String admin = context.getBean(EmbeddedServer.class).getURL() + "/admin/tasks/" + TASK;
            var approved = http.toBlocking().exchange(HttpRequest.POST(admin + "/candidates/c1/approve?by=alice", "")
                    .bearerAuth(TOKEN), Map.class);
            assertEquals(HttpStatus.OK, approved.getStatus(), "the operator's call after the fence succeeds");

            try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
                send(producer, Topics.ADAPTER_CANDIDATES, signedCandidate("c2"));
            }
            List<PromotionDecision> decisions = read(broker, Topics.PROMOTION_DECISIONS, 3, ARRIVAL);
            assertEquals(List.of("c1", "c1", "c2"), candidateIds(decisions), "a new candidate is still judged");
            assertEquals(Verdict.REJECTED, decisions.get(2).getVerdict());
            assertEquals(3, read(broker, Topics.PROMOTION_DECISIONS, 4, QUIET).size(), "no decision repeated");
            List<Deployment> deployments = new ArrayList<>();
            broker.read(Topics.DEPLOYMENTS.name(), 3, QUIET).stream().skip(1) // the unreadable one
                    .forEach(r -> deployments.add((Deployment) Topics.DEPLOYMENTS.decode(r.value())));
            assertEquals(List.of("c1"), deployments.stream().map(Deployment::getAdapterId).toList(),
                    "the approval's deployment written once");
            assertTrue(service.alive());

            String url = context.getBean(EmbeddedServer.class).getURL().toString();
            @SuppressWarnings("unchecked")
            Map<String, Object> health = http.toBlocking().retrieve(HttpRequest.GET(url + "/health"), Map.class);
            assertEquals("UP", health.get("status"), health.toString());
            @SuppressWarnings("unchecked")
            Map<String, Object> loop = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                    health.get("details")).get("evaluator")).get("details");
            assertTrue(((Number) loop.get("faultsSurvived")).intValue() >= 1, "the fence was counted: " + loop);
            assertEquals("reachable", loop.get("broker"), loop.toString());
            assertEquals(HttpStatus.OK, http.toBlocking().exchange(HttpRequest.GET(url + "/health/liveness"))
                    .getStatus());
        }
    }

    /** What the probe did: one record produced with the evaluator's transactional id. */
    private static void fenceTheEvaluatorsTransactionalId(KafkaBroker broker) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "streamtune-evaluator");
        try (KafkaProducer<byte[], byte[]> intruder = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            intruder.initTransactions();
            intruder.beginTransaction();
            intruder.send(new ProducerRecord<>(Topics.RETRAIN_REQUESTS.name(), "x".getBytes(StandardCharsets.UTF_8),
                    "intruder".getBytes(StandardCharsets.UTF_8)));
            intruder.commitTransaction();
        }
    }

    private ApplicationContext start(KafkaBroker broker) {
        Map<String, Object> properties = new HashMap<>(keys().properties(SignerRole.EVALUATOR));
        properties.putAll(Map.of(
                "micronaut.server.port", -1,
                "kafka.bootstrap-servers", broker.bootstrapServers(),
                "evaluator.admin-token", TOKEN,
                "evaluator.candidate-wait-seconds", 1,
                "streamtune.home", home.toString()));
        return ApplicationContext.run(EmbeddedServer.class, properties).getApplicationContext();
    }

    private LocalSigningKeys keys() {
        return LocalSigningKeys.ensure(home.resolve("keys"));
    }

    /** A candidate as the trainer publishes it (signed), naming an adapter file in the store that was never written. */
    private AdapterCandidate signedCandidate(String id) {
        AdapterCandidate candidate = AdapterCandidate.newBuilder(candidate(id)).setArtifactUri(
                AdapterArtifact.storeUnder(home).resolve(TASK).resolve(id + ".adapter").toUri().toString()).build();
        return keys().signer(SignerRole.TRAINER).sign(candidate);
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, TopicSpec topic, SpecificRecord value)
            throws Exception {
        sendRaw(producer, topic, topic.encode(value));
    }

    private static void sendRaw(KafkaProducer<byte[], byte[]> producer, TopicSpec topic, byte[] value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic.name(), TASK.getBytes(StandardCharsets.UTF_8), value)).get();
    }

    private static List<PromotionDecision> read(KafkaBroker broker, TopicSpec topic, int atLeast, Duration timeout) {
        return broker.read(topic.name(), atLeast, timeout).stream()
                .map(r -> (PromotionDecision) topic.decode(r.value())).toList();
    }

    private static List<String> candidateIds(List<PromotionDecision> decisions) {
        return decisions.stream().map(PromotionDecision::getCandidateId).toList();
    }

    private static AdapterCandidate candidate(String id) {
        Instant t0 = Instant.parse("2026-11-24T10:00:00Z");
        return AdapterCandidate.newBuilder().setCandidateId(id).setTask(TASK).setBaseModelId("m")
                .setBaseModelChecksum("-").setWindowIds(List.of("sentiment-000001"))
                .setArtifactUri("file:///nonexistent/" + id + ".adapter").setArtifactSha256("0".repeat(64))
                .setCreatedAt(t0).setHyperparameters(Map.of()).setValidationMetrics(Map.of()).build();
    }
}
