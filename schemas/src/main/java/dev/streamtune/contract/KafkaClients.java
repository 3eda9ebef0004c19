package dev.streamtune.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka clients the services build by hand (those that manage their own positions rather than use Kafka
 * Streams): byte-array clients, decoded per topic with {@link TopicSpec#decode}.
 */
public final class KafkaClients {

    private KafkaClients() {
    }

    /**
     * A consumer without group offsets (callers assign partitions and seek themselves) that sees only committed
     * transactional data.
     */
    public static KafkaConsumer<byte[], byte[]> assignedConsumer(String bootstrapServers, String clientId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** An idempotent producer that waits for all in-sync replicas. */
    public static KafkaProducer<byte[], byte[]> producer(String bootstrapServers, String clientId, int lingerMs) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A transactional producer; a fixed id fences an older instance of the same writer. */
    public static KafkaProducer<byte[], byte[]> transactionalProducer(String bootstrapServers, String clientId,
                                                                     String transactionalId) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Every partition of the given topics. */
    public static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, List<TopicSpec> topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        topics.forEach(topic -> consumer.partitionsFor(topic.name())
                .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition()))));
        return partitions;
    }
}
