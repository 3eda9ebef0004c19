package dev.streamtune.kafka;

import dev.streamtune.contract.AvroCodec;
import dev.streamtune.contract.AvroCodecTest;
import dev.streamtune.contract.AvroSerde;
import dev.streamtune.contract.SampleRecords;
import dev.streamtune.contract.TopicSpec;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TopicProvisioner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.streamtune.schema.LabelledExample;
import dev.streamtune.testsupport.KafkaBroker;
import dev.streamtune.testsupport.WithKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every schema through a real broker, on the catalogue's own topics as the provisioner creates them. */
@WithKafka
class SchemaRoundTripIT {

    private static final String KEY = "schema-round-trip";

    @BeforeAll
    static void provision(KafkaBroker broker) {
        // The module's broker is shared by its IT classes: another may have provisioned some topics already.
        List<String> created = new TopicProvisioner(KafkaConnection.plaintext(broker.bootstrapServers())).ensureAll();
        assertTrue(Topics.ALL.stream().map(TopicSpec::name).toList().containsAll(created), created.toString());
        assertEquals(List.of(), new TopicProvisioner(KafkaConnection.plaintext(broker.bootstrapServers())).ensureAll(), "second run is a no-op");
    }

    @Test
    void topicsHaveTheCatalogueLayout(KafkaBroker broker) throws Exception {
        try (Admin admin = broker.admin()) {
            Map<String, TopicDescription> topics = admin.describeTopics(
                    Topics.ALL.stream().map(TopicSpec::name).toList()).allTopicNames().get(30, TimeUnit.SECONDS);
            for (TopicSpec spec : Topics.ALL) {
                assertEquals(spec.partitions(), topics.get(spec.name()).partitions().size(), spec.name());
            }
            var resource = new ConfigResource(ConfigResource.Type.TOPIC, Topics.DEPLOYMENTS.name());
            var config = admin.describeConfigs(Set.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
            assertEquals("compact", config.get("cleanup.policy").value());
        }
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void everySchemaIsProducedAndConsumedThroughItsTopic(KafkaBroker broker) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
            for (var sample : SampleRecords.all().entrySet()) {
                TopicSpec topic = topicFor(sample.getKey());
                producer.send(new ProducerRecord<>(topic.name(), KEY.getBytes(),
                        AvroCodec.of((Class) sample.getKey()).encode(sample.getValue()))).get();
            }
        }
        for (var sample : SampleRecords.all().entrySet()) {
            TopicSpec topic = topicFor(sample.getKey());
            // Other IT classes share the broker (tasks already holds their definitions): take this test's record.
            List<ConsumerRecord<byte[], byte[]>> records = broker.read(topic.name(), 1, Duration.ofSeconds(30))
                    .stream().filter(r -> KEY.equals(new String(r.key()))).toList();
            assertEquals(1, records.size(), topic.name());
            Object decoded = topic.valueSerde((Class) sample.getKey()).deserialize(topic.name(), records.get(0).value());
            assertEquals(sample.getValue(), decoded, topic.name());
        }
    }

    @Test
    void aVersion1ProducerIsReadThroughTheBroker(KafkaBroker broker) throws Exception {
        String topic = "evolution-check";
        broker.createTopic(topic, 1);
        try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
            producer.send(new ProducerRecord<>(topic, AvroCodecTest.encodeWithVersion1(42L))).get();
        }
        List<ConsumerRecord<byte[], byte[]>> records = broker.read(topic, 1, Duration.ofSeconds(30));
        LabelledExample decoded = AvroSerde.of(LabelledExample.class).deserialize(topic, records.get(0).value());
        assertEquals("ex-old", decoded.getId());
        assertTrue(decoded.getWeight() == null);
    }

    private static TopicSpec topicFor(Class<?> type) {
        return Topics.ALL.stream().filter(t -> t.valueType().equals(type)).findFirst().orElseThrow();
    }
}
