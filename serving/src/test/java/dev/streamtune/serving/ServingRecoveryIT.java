package dev.streamtune.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TopicProvisioner;
import dev.streamtune.testsupport.KafkaBroker;
import dev.streamtune.testsupport.PoisonPayloads;
import dev.streamtune.testsupport.WithKafka;
import io.micronaut.context.ApplicationContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serving behind records it cannot read: undecodable records on the compacted deployments topic (which keeps them,
 * so every restart meets them again) are skipped and counted; serving still becomes ready and keeps following.
 */
@WithKafka
class ServingRecoveryIT {

    private static final String TASK = "recovery-it";
    private static final Duration ARRIVAL = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void becomesReadyAndKeepsFollowingDeploymentsPastUndecodableRecords(KafkaBroker broker) throws Exception {
        new TopicProvisioner(KafkaConnection.plaintext(broker.bootstrapServers())).ensureAll();
        Path first = TestAdapters.create(TestAdapters.store(dir), "r1", TestAdapters.SENTIMENT, 1);
        Path second = TestAdapters.create(TestAdapters.store(dir), "r2", TestAdapters.SENTIMENT, 2);
        TestAdapters.defineTasks(broker, TestAdapters.SENTIMENT, TASK);
        byte[] valid = Topics.DEPLOYMENTS.encode(TestAdapters.deployment(TASK, "r1", first, null));
        try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
            poison(producer, "poison-a", PoisonPayloads.garbage());
            poison(producer, "poison-b", PoisonPayloads.hugeDeclaredLength(valid));
            TestAdapters.send(producer, Topics.DEPLOYMENTS, TASK, TestAdapters.deployment(TASK, "r1", first, null));
            poison(producer, TASK, PoisonPayloads.garbage()); // even as the task's latest record
            TestAdapters.send(producer, Topics.DEPLOYMENTS, TASK, TestAdapters.deployment(TASK, "r1", first, null));
        }
        for (int start = 1; start <= 2; start++) { // a restarted serving meets the same records again
            try (ApplicationContext context = TestAdapters.start(broker, dir, Map.of())) {
                Http http = new Http(TestAdapters.url(context));
                assertEquals(200, http.awaitOk("/health/readiness", ARRIVAL).status(), "ready, start " + start);
                assertEquals("r1", http.get("/v1/tasks/" + TASK + "/model").json().get("adapterId").asText());
                JsonNode health = http.get("/health").json();
                assertEquals(3, health.at("/details/serving/details/deployments/skippedRecords/deployments").asInt(),
                        health.toString());
                assertEquals("reachable", health.at("/details/serving/details/broker").asText(), health.toString());
                if (start == 2) {
                    try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
                        TestAdapters.send(producer, Topics.DEPLOYMENTS, TASK,
                                TestAdapters.deployment(TASK, "r2", second, "r1"));
                    }
                    long deadline = System.nanoTime() + ARRIVAL.toNanos();
                    String served = "r1";
                    while (!served.equals("r2") && System.nanoTime() < deadline) {
                        Thread.sleep(200);
                        served = http.get("/v1/tasks/" + TASK + "/model").json().get("adapterId").asText();
                    }
                    assertEquals("r2", served, "still following deployments");
                    assertTrue(context.getBean(DeploymentFollower.class).alive());
                }
            }
        }
    }

    private static void poison(KafkaProducer<byte[], byte[]> producer, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(Topics.DEPLOYMENTS.name(), key.getBytes(StandardCharsets.UTF_8), value))
                .get();
    }
}
