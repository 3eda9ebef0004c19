package dev.streamtune.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import dev.streamtune.testsupport.KafkaBroker;
import dev.streamtune.testsupport.WithKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** A writer whose transactional id is taken over by an outside producer keeps writing, each record once. */
@WithKafka
class TransactionalWriterIT {

    private static final String TOPIC = "writer-fencing";
    private static final String ID = "writer-under-test";

    @Test
    void aFencedWriterReplacesItsProducerAndWritesEachTransactionOnce(KafkaBroker broker) {
        broker.createTopic(TOPIC, 1);
        ConsumerLoop loop = ConsumerLoop.recovering("writer-test", true, () -> { });
        try (TransactionalWriter writer = new TransactionalWriter(
                () -> KafkaClients.transactionalProducer(KafkaConnection.plaintext(broker.bootstrapServers()), "writer", ID), loop)) {
            writer.inTransaction(p -> p.send(record("before")));

            try (KafkaProducer<byte[], byte[]> intruder = intruder(broker)) {
                intruder.initTransactions(); // fences the writer's producer
                intruder.beginTransaction();
                intruder.send(record("intruder"));
                intruder.commitTransaction();
            }

            writer.inTransaction(p -> p.send(record("after")));
            assertEquals(1, writer.recreated());
            assertEquals(1, loop.faults(), "the fence was counted as one survived fault");
        }
        List<String> values = broker.read(TOPIC, 3, Duration.ofSeconds(30)).stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
        assertEquals(List.of("before", "intruder", "after"), values);
        assertEquals(3, broker.read(TOPIC, 4, Duration.ofSeconds(3)).size(), "nothing written twice");
    }

    private static ProducerRecord<byte[], byte[]> record(String value) {
        return new ProducerRecord<>(TOPIC, "k".getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    private static KafkaProducer<byte[], byte[]> intruder(KafkaBroker broker) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, ID);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
