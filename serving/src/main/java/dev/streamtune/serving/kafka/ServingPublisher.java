package dev.streamtune.serving.kafka;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import dev.streamtune.contract.TopicSpec;
import dev.streamtune.kafka.KafkaClients;
import dev.streamtune.kafka.KafkaConnection;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The serving tier's one Kafka producer (idempotent, acks=all), for the prediction log and feedback events.
 * {@link #send} never throws: every failure, including a serialisation error, completes the future exceptionally.
 */
public final class ServingPublisher implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;

    public ServingPublisher(KafkaConnection kafka) {
        this.producer = KafkaClients.producer(kafka, "serving", 5);
    }

    public CompletableFuture<RecordMetadata> send(TopicSpec topic, String key, SpecificRecord value) {
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        try {
            byte[] bytes = topic.encode(value);
            producer.send(new ProducerRecord<>(topic.name(), key.getBytes(StandardCharsets.UTF_8), bytes),
                    (metadata, error) -> {
                        if (error != null) {
                            result.completeExceptionally(error);
                        } else {
                            result.complete(metadata);
                        }
                    });
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
