package dev.streamtune.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.AccessControl;
import dev.streamtune.kafka.KafkaClients;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TopicProvisioner;
import dev.streamtune.localkafka.BrokerCredentials;
import dev.streamtune.localkafka.LocalKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run command's local broker with STREAMTUNE_KAFKA_AUTH=scram, a separate process from the Maven-resolved
 * Kafka jars: SASL on every listener, the ACL table of {@link AccessControl} enforced by the StandardAuthorizer.
 */
class SecuredLocalKafkaIT {

    @TempDir
    static Path home;

    private static LocalKafkaBroker broker;
    private static KafkaLogins logins;

    @BeforeAll
    static void startSecuredBroker() throws Exception {
        BrokerCredentials credentials = BrokerCredentials.loadOrCreate(home.resolve(Streamtune.CREDENTIALS_FILE),
                AccessControl.SUPER_USER, AccessControl.userNames());
        broker = LocalKafkaBroker.start(home.resolve("kafka"), LocalKafkaBroker.freePortPair(), "256m", credentials);
        logins = KafkaLogins.startSecuredLocal(broker, credentials);
        new TopicProvisioner(logins.provisioner()).ensureAll();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theEvaluatorMayWriteDeploymentsInItsTransaction() throws Exception {
        try (KafkaProducer<byte[], byte[]> evaluator = KafkaClients.transactionalProducer(
                logins.principal("evaluator"), "evaluator", AccessControl.EVALUATOR_TRANSACTIONAL_ID)) {
            evaluator.initTransactions();
            evaluator.beginTransaction();
            evaluator.send(record(Topics.DEPLOYMENTS.name(), "from the evaluator"));
            evaluator.commitTransaction();
        }
        // commitTransaction returns before the commit marker is written to the partition, so a read_committed reader
        // may see an end offset (the last stable offset) of 0 for a moment: read again until the record shows.
        List<String> seen = values(logins.provisioner(), Topics.DEPLOYMENTS.name());
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (seen.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            seen = values(logins.provisioner(), Topics.DEPLOYMENTS.name());
        }
        assertEquals(List.of("from the evaluator"), seen);
    }

    @Test
    void anotherPrincipalWritingDeploymentsIsRefused() {
        for (String intruder : List.of("trainer", "serving", "producer", "ingest")) {
            try (KafkaProducer<byte[], byte[]> producer = plainProducer(logins.principal(intruder))) {
                ExecutionException refused = assertThrows(ExecutionException.class,
                        () -> producer.send(record(Topics.DEPLOYMENTS.name(), "forged by " + intruder))
                                .get(30, TimeUnit.SECONDS), intruder);
                assertInstanceOf(TopicAuthorizationException.class, refused.getCause(), intruder);
            }
        }
    }

    @Test
    void theOutsideProducerMayWriteTheInputTopic() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = plainProducer(logins.principal("producer"))) {
            producer.send(record(Topics.LABELLED_EXAMPLES.name(), "{}")).get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClientWithoutCredentialsCannotProduce() {
        KafkaConnection anonymous = KafkaConnection.plaintext(broker.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = plainProducer(anonymous)) {
            // A PLAINTEXT client never gets past the SASL handshake: no metadata, so the send times out.
            ExecutionException refused = assertThrows(ExecutionException.class, () -> producer.send(
                    record(Topics.LABELLED_EXAMPLES.name(), "anonymous")).get(30, TimeUnit.SECONDS));
            assertInstanceOf(org.apache.kafka.common.errors.TimeoutException.class, refused.getCause());
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        KafkaConnection impostor = logins.principal("evaluator").as("evaluator", "not-the-password");
        try (KafkaProducer<byte[], byte[]> producer = plainProducer(impostor)) {
            Exception refused = assertThrows(Exception.class, () -> producer.send(
                    record(Topics.DEPLOYMENTS.name(), "impostor")).get(30, TimeUnit.SECONDS));
            Throwable cause = refused instanceof ExecutionException ? refused.getCause() : refused;
            assertInstanceOf(SaslAuthenticationException.class, cause);
        }
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String value) {
        return new ProducerRecord<>(topic, "task".getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    }

    /** A non-idempotent producer that gives up quickly, as kcat would produce. */
    private static KafkaProducer<byte[], byte[]> plainProducer(KafkaConnection connection) {
        Properties props = new Properties();
        props.putAll(connection.clientProperties());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10000);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static List<String> values(KafkaConnection reader, String topic) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.assignedConsumer(reader, "secured-it")) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long end = consumer.endOffsets(partitions).get(partitions.get(0));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(partitions.get(0)) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(new String(record.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }
}
