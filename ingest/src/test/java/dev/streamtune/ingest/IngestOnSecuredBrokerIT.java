package dev.streamtune.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.streamtune.contract.LocalSigningKeys;
import dev.streamtune.contract.SignerRole;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.AccessControl;
import dev.streamtune.kafka.KafkaClients;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.KafkaSecurityProvisioner;
import dev.streamtune.kafka.TopicProvisioner;
import dev.streamtune.localkafka.BrokerCredentials;
import dev.streamtune.localkafka.LocalKafkaBroker;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.TaskDefinition;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest logged in as its own principal against the run command's secured broker (SASL/SCRAM, ACLs of
 * {@link AccessControl} enforced): the table grants it everything its Kafka Streams application and its task
 * catalogue follower need.
 */
class IngestOnSecuredBrokerIT {

    @TempDir
    Path dir;

    @Test
    void anExampleFromTheOutsideProducerReachesTheCleanTopicThroughIngestsOwnLogin() throws Exception {
        BrokerCredentials credentials = BrokerCredentials.loadOrCreate(dir.resolve("credentials"),
                AccessControl.SUPER_USER, AccessControl.userNames());
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(dir.resolve("kafka"), LocalKafkaBroker.freePortPair(),
                "256m", credentials)) {
            String bootstrap = broker.bootstrapServers();
            KafkaConnection admin = new KafkaConnection(bootstrap, LocalKafkaBroker.SASL_PROTOCOL,
                    LocalKafkaBroker.SUPER_USER_MECHANISM, credentials.superUser(), credentials.superUserPassword());
            Map<String, String> passwords = new LinkedHashMap<>();
            AccessControl.PRINCIPALS.forEach(p -> passwords.put(p.name(), credentials.password(p.name())));
            new KafkaSecurityProvisioner(admin).apply(passwords);
            new TopicProvisioner(admin).ensureAll();

            // The task, as the evaluator (the catalogue's one writer) would define it: signed, on the tasks topic.
            LocalSigningKeys keys = IngestApp.keys(dir);
            try (KafkaProducer<byte[], byte[]> evaluator = KafkaClients.producer(admin, "task-writer", 0)) {
                TaskDefinition sentiment = keys.signer(SignerRole.EVALUATOR).sign(
                        Tasks.task("sentiment", "negative", "positive"));
                evaluator.send(new ProducerRecord<>(Topics.TASKS.name(), bytes("sentiment"),
                        Topics.TASKS.encode(sentiment))).get(30, TimeUnit.SECONDS);
            }
            Map<String, Object> config = IngestApp.config(bootstrap, AccessControl.INGEST_APPLICATION_ID,
                    dir.resolve("state"), keys);
            config.put("kafka.security-protocol", "SASL_PLAINTEXT");
            config.put("kafka.sasl-mechanism", "SCRAM-SHA-256");
            config.put("kafka.sasl-username", AccessControl.INGEST.name());
            config.put("kafka.sasl-password", credentials.password(AccessControl.INGEST.name()));
            try (EmbeddedServer ingest = IngestApp.start(config);
                 KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(KafkaConnection.scram(bootstrap,
                         AccessControl.PRODUCER.name(), credentials.password(AccessControl.PRODUCER.name())),
                         "outside-producer", 0)) {
                producer.send(new ProducerRecord<>(Topics.LABELLED_EXAMPLES.name(), bytes("ex-1"),
                        bytes("{\"id\":\"ex-1\",\"task\":\"sentiment\",\"text\":\"Loved the staff\","
                                + "\"label\":\"positive\"}"))).get(30, TimeUnit.SECONDS);
                List<CleanExample> clean = readClean(admin, 1);
                assertEquals(1, clean.size(), "one clean example");
                assertEquals("sentiment", clean.get(0).getTask());
            }
        }
    }

    private static List<CleanExample> readClean(KafkaConnection reader, int expected) {
        List<CleanExample> clean = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.assignedConsumer(reader, "secured-ingest-it")) {
            List<TopicPartition> partitions = KafkaClients.partitions(consumer, List.of(Topics.CLEAN_EXAMPLES));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (clean.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    clean.add((CleanExample) Topics.CLEAN_EXAMPLES.decode(record.value()));
                }
            }
        }
        return clean;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
