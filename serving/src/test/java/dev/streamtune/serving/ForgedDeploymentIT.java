package dev.streamtune.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamtune.contract.RecordSigner;
import dev.streamtune.contract.RecordVerifier;
import dev.streamtune.contract.SignerRole;
import dev.streamtune.contract.SigningKey;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TopicProvisioner;
import dev.streamtune.model.AdapterFile;
import dev.streamtune.model.weights.Tensor;
import dev.streamtune.schema.Deployment;
import dev.streamtune.testsupport.KafkaBroker;
import dev.streamtune.testsupport.WithKafka;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deployments produced by someone other than the evaluator, with a plain Kafka client: serving keeps answering
 * with the legitimate adapter, and what it says about a refused deployment tells nothing about other files.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ForgedDeploymentIT {

    private static final String TASK = "forgery";
    private static final Duration ARRIVAL = Duration.ofSeconds(60);
    private static final String SECRET = "root:$6$s4ltS4lt$Zm9yZ2VkLWhhc2gtdGhhdC1tdXN0LW5vdC1sZWFr:19000:0:99999:7:::\n";

    @TempDir
    static Path dir;

    private Path store;
    /** Stands for /etc/shadow: outside the store, its checksum known to the attacker. */
    private Path secret;
    private String secretSha;
    /** A well-formed adapter in the store that the attacker would like served. */
    private Path evil;
    private Deployment legitimate;
    private KafkaProducer<byte[], byte[]> producer;
    private ApplicationContext context;
    private Http http;

    @BeforeAll
    void start(KafkaBroker broker) throws Exception {
        new TopicProvisioner(KafkaConnection.plaintext(broker.bootstrapServers())).ensureAll();
        store = Files.createDirectories(TestAdapters.store(dir).resolve(TASK));
        secret = Files.writeString(dir.resolve("shadow"), SECRET + "x".repeat(4099 - SECRET.length()));
        secretSha = TestAdapters.sha256(secret);
        evil = TestAdapters.create(store, "evil", TestAdapters.SENTIMENT, 666);
        Path s1 = TestAdapters.create(store, "s1", TestAdapters.SENTIMENT, 1);
        legitimate = TestAdapters.keys().signer(SignerRole.EVALUATOR)
                .sign(TestAdapters.deployment(TASK, "s1", s1, null));
        producer = broker.producer();
        TestAdapters.defineTasks(broker, TestAdapters.SENTIMENT, TASK);
        TestAdapters.sendAsIs(producer, Topics.DEPLOYMENTS, TASK, legitimate);
        context = TestAdapters.start(broker, dir, Map.of());
        http = new Http(TestAdapters.url(context));
        assertEquals(200, http.awaitOk("/health/readiness", ARRIVAL).status(), "ready");
        assertServing("s1");
    }

    @AfterAll
    void stop() {
        if (context != null) {
            context.close();
        }
        if (producer != null) {
            producer.close();
        }
    }

    @Test
    @Order(1)
    void unsignedWronglySignedAndAlteredDeploymentsAreIgnoredAndCounted() throws Exception {
        Deployment forged = TestAdapters.deployment(TASK, "evil", evil, "s1");
        String evaluatorKeyId = legitimate.getSigningKeyId();

        TestAdapters.sendAsIs(producer, Topics.DEPLOYMENTS, TASK, forged);
        TestAdapters.sendAsIs(producer, Topics.DEPLOYMENTS, TASK, stranger("evaluator-unknown").sign(forged));
        TestAdapters.sendAsIs(producer, Topics.DEPLOYMENTS, TASK, stranger(evaluatorKeyId).sign(forged));
        TestAdapters.sendAsIs(producer, Topics.DEPLOYMENTS, TASK, Deployment.newBuilder(legitimate)
                .setAdapterId("evil").setArtifactUri(evil.toUri().toString())
                .setArtifactSha256(TestAdapters.sha256(evil)).build()); // a real signature over other content

        awaitRejected(4);
        assertEquals(1, rejected("not_signed"));
        assertEquals(1, rejected("unknown_key"));
        assertEquals(2, rejected("bad_signature"));
        Thread.sleep(500); // a load, were one started, would take longer than this to swap: prove none started
        assertServing("s1");
        JsonNode model = http.get("/v1/tasks/" + TASK + "/model").json();
        assertTrue(model.get("lastSwapError").isNull(), "nothing was even attempted: " + model);
        assertTrue(model.get("loadingAdapterId").isNull(), model.toString());
    }

    @Test
    @Order(2)
    void aSignedDeploymentOfAFileOutsideTheStoreRevealsNothingAboutIt() throws Exception {
        refused(TestAdapters.deployment(TASK, "outside", secret, secretSha, "d-outside", "s1"), "outside the store");
        refused(TestAdapters.deployment(TASK, "missing", dir.resolve("no-such-file"), secretSha, "d-missing", "s1"),
                "outside the store"); // the same answer whether or not the path exists
        Path dotDot = Path.of(store + "/../../shadow");
        refused(TestAdapters.deployment(TASK, "dotdot", dotDot, secretSha, "d-dotdot", "s1"), "outside the store");
    }

    @Test
    @Order(3)
    void aSymbolicLinkOutOfTheStoreIsRefused() throws Exception {
        Path link = Files.createSymbolicLink(store.resolve("link.adapter"), secret);
        refused(TestAdapters.deployment(TASK, "link", link, secretSha, "d-link", "s1"), "outside the store");
    }

    @Test
    @Order(4)
    void anAdapterWithNonFiniteWeightsIsRefused() throws Exception {
        AdapterFile.Contents contents = AdapterFile.read(evil);
        List<Tensor> poisoned = contents.tensors().values().stream().map(t -> {
            if (!t.name().equals("classifier.bias")) {
                return t;
            }
            float[] data = t.data().clone();
            data[0] = Float.NaN;
            return new Tensor(t.name(), t.shape(), data);
        }).toList();
        Path nan = store.resolve("nan.adapter");
        AdapterFile.write(nan, contents.metadata(), poisoned); // checksums recomputed: a well-formed file
        refused(TestAdapters.deployment(TASK, "nan", nan, "s1"), "non-finite");
    }

    /** Sends a validly signed deployment and checks serving refuses it, saying why and nothing more. */
    private void refused(Deployment deployment, String reason) throws Exception {
        TestAdapters.send(producer, Topics.DEPLOYMENTS, TASK, deployment);
        JsonNode failure = awaitFailure(deployment.getAdapterId());
        String message = failure.get("message").asText();
        assertTrue(message.contains(reason), message);
        String everything = http.get("/v1/tasks/" + TASK + "/model").body() + http.get("/v1/tasks").body();
        for (String leak : List.of(secretSha, secret.toString(), dir.toString(), "shadow", "root:")) {
            assertFalse(everything.contains(leak), "reveals '" + leak + "': " + everything);
        }
        // The size as a number of its own (not digits inside a hash or a timestamp).
        assertFalse(java.util.regex.Pattern.compile("(?<![0-9a-fA-F.])" + Files.size(secret) + "(?![0-9a-fA-F])")
                .matcher(everything).find(), "reveals the size: " + everything);
        assertServing("s1");
    }

    private JsonNode awaitFailure(String adapterId) throws InterruptedException {
        long deadline = System.nanoTime() + ARRIVAL.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode failure = http.get("/v1/tasks/" + TASK + "/model").json().get("lastSwapError");
            if (failure != null && !failure.isNull() && failure.get("adapterId").asText().equals(adapterId)) {
                return failure;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Serving did not refuse " + adapterId + " within " + ARRIVAL);
    }

    private void assertServing(String adapterId) {
        Http.Answer answer = http.post("/v1/tasks/" + TASK + "/predict", "{\"text\":\"the refund came quickly\"}");
        assertEquals(200, answer.status(), answer.body());
        assertEquals(adapterId, answer.json().get("adapterId").asText());
    }

    private static RecordSigner stranger(String keyId) {
        return new RecordSigner(SigningKey.generate(SignerRole.EVALUATOR, keyId).signingKey());
    }

    private void awaitRejected(double atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + ARRIVAL.toNanos();
        while (rejected(null) < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(atLeast, rejected(null));
    }

    private double rejected(String reason) {
        var search = context.getBean(MeterRegistry.class).find(RecordVerifier.REJECTED_METER)
                .tag("topic", Topics.DEPLOYMENTS.name());
        if (reason != null) {
            search = search.tag("reason", reason);
        }
        return search.counters().stream().mapToDouble(Counter::count).sum();
    }
}
