package dev.streamtune.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.streamtune.kafka.BrokerProbe;
import dev.streamtune.kafka.ConsumerLoop;
import dev.streamtune.kafka.KafkaClients;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.localkafka.LocalKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker really goes away and comes back (the run command's separate-process broker, stopped and started on the
 * same data and port): the health probe says DOWN, then UP again, and a recovering consumer loop resumes.
 */
class BrokerOutageIT {

    private static final String TOPIC = "outage";

    @TempDir
    Path dataDir;

    @Test
    void healthFollowsTheBrokerDownAndUpAndTheLoopResumes() throws Exception {
        int port = LocalKafkaBroker.freePortPair();
        String bootstrap = "127.0.0.1:" + port;
        KafkaConnection kafka = KafkaConnection.plaintext(bootstrap);
        List<String> received = new CopyOnWriteArrayList<>();
        ConsumerLoop[] loop = new ConsumerLoop[1];
        loop[0] = ConsumerLoop.recovering("outage-follower", true, () -> {
            try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.assignedConsumer(kafka, "outage-it")) {
                loop[0].polling(consumer);
                TopicPartition partition = new TopicPartition(TOPIC, 0);
                consumer.assign(List.of(partition));
                consumer.seek(partition, received.size());
                while (loop[0].running()) {
                    consumer.poll(Duration.ofMillis(200))
                            .forEach(r -> received.add(new String(r.value(), StandardCharsets.UTF_8)));
                }
            }
        });
        try (BrokerProbe probe = new BrokerProbe(kafka, Duration.ofSeconds(1), Duration.ZERO)) {
            try (LocalKafkaBroker broker = LocalKafkaBroker.start(dataDir, port, "256m")) {
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                    admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
                }
                loop[0].start();
                assertTrue(probe.check().reachable(), probe.check().detail());
                produce(bootstrap, "before");
                await(() -> received.contains("before"), "read before the outage");
            }

            BrokerProbe.Reachability down = probe.check();
            assertFalse(down.reachable(), "DOWN while the broker is away");
            assertTrue(loop[0].alive(), "the loop waits the outage out");

            try (LocalKafkaBroker broker = LocalKafkaBroker.start(dataDir, port, "256m")) {
                await(() -> probe.check().reachable(), "UP once the broker is back");
                produce(bootstrap, "after");
                await(() -> received.contains("after"), "read after the outage");
                assertEquals(List.of("before", "after"), received, "nothing lost or read twice");
                loop[0].stop(Duration.ofSeconds(10));
            }
        } finally {
            loop[0].stop(Duration.ofSeconds(10));
        }
    }

    private static void produce(String bootstrap, String value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(KafkaConnection.plaintext(bootstrap), "outage-it", 0)) {
            producer.send(new ProducerRecord<>(TOPIC, value.getBytes(StandardCharsets.UTF_8))).get(30,
                    TimeUnit.SECONDS);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(condition.getAsBoolean(), what);
    }
}
