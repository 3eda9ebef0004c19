package dev.streamtune.kafka;

import dev.streamtune.contract.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

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
    public static KafkaConsumer<byte[], byte[]> assignedConsumer(KafkaConnection kafka, String clientId) {
        Properties props = properties(kafka);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * A member of a consumer group that commits offsets itself, sees only committed transactional data, starts from
     * the beginning where the group has no offset yet, and gets co-partitioned topics' same partitions (range
     * assignment), so one member owns all of a key's records across them.
     *
     * @param maxPollInterval longest work between two polls before the group evicts the member
     */
    public static KafkaConsumer<byte[], byte[]> groupConsumer(KafkaConnection kafka, String clientId, String groupId,
                                                              Duration maxPollInterval) {
        Properties props = properties(kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) maxPollInterval.toMillis());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The partition a keyed record lands on with Kafka's default partitioner (producers and Kafka Streams alike). */
    public static int partitionOf(String key, int partitionCount) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitionCount;
    }

    /** An idempotent producer that waits for all in-sync replicas. */
    public static KafkaProducer<byte[], byte[]> producer(KafkaConnection kafka, String clientId, int lingerMs) {
        Properties props = properties(kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A transactional producer; a fixed id fences an older instance of the same writer. */
    public static KafkaProducer<byte[], byte[]> transactionalProducer(KafkaConnection kafka, String clientId,
                                                                     String transactionalId) {
        Properties props = properties(kafka);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The connection's bootstrap and security settings, to which each client adds its own. */
    private static Properties properties(KafkaConnection kafka) {
        Properties props = new Properties();
        props.putAll(kafka.clientProperties());
        return props;
    }

    /** Every partition of the given topics. */
    public static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, List<TopicSpec> topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        topics.forEach(topic -> consumer.partitionsFor(topic.name())
                .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition()))));
        return partitions;
    }

    /** An admin client whose calls give up after {@code timeout}: for cheap, bounded checks such as health. */
    public static Admin boundedAdmin(KafkaConnection kafka, String clientId, Duration timeout) {
        Properties props = properties(kafka);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        // Reconnect quickly once the broker is back, so a check sees it within a second or so.
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        return Admin.create(props);
    }
}
