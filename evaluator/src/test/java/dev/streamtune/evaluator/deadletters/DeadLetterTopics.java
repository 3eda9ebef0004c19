package dev.streamtune.evaluator.deadletters;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamtune.contract.AvroCodec;
import dev.streamtune.contract.TopicSpec;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.KafkaClients;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TopicProvisioner;
import dev.streamtune.schema.FeedbackEvent;
import dev.streamtune.schema.LabelledExample;
import dev.streamtune.schema.RejectedRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** The broker side of the dead-letter ITs: writes dead letters as ingest does, reads what came back. */
final class DeadLetterTopics {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaConnection kafka;

    DeadLetterTopics(KafkaConnection kafka) {
        this.kafka = kafka;
        new TopicProvisioner(kafka).ensureAll();
    }

    /** Writes dead letters to examples.rejected, keyed by their original key, as ingest does. */
    void deadLetter(RejectedRecord... letters) {
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(kafka, "fake-ingest", 0)) {
            for (RejectedRecord letter : letters) {
                byte[] key = letter.getOriginalKey() == null ? null : letter.getOriginalKey().array();
                producer.send(new ProducerRecord<>(Topics.REJECTED_RECORDS.name(), key,
                        Topics.REJECTED_RECORDS.encode(letter))).get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Every record of {@code topic}, waiting up to {@code patience} for at least {@code atLeast} of them. */
    List<ConsumerRecord<byte[], byte[]>> read(TopicSpec topic, int atLeast, Duration patience) {
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.assignedConsumer(kafka, "it-reader")) {
            var partitions = KafkaClients.partitions(consumer, List.of(topic));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + patience.toNanos();
            var end = consumer.endOffsets(partitions);
            while (System.nanoTime() < deadline
                    && (all.size() < atLeast || partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)))) {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
                if (all.size() < atLeast) {
                    end.putAll(consumer.endOffsets(partitions));
                }
            }
        }
        return all;
    }

    /** The example id in a replayed value, read the way ingest reads it (JSON field or Avro record). */
    static String idIn(String topic, byte[] value) {
        try {
            boolean feedback = Topics.FEEDBACK_EVENTS.name().equals(topic);
            if (AvroCodec.isSingleObjectEncoded(value)) {
                return feedback ? AvroCodec.of(FeedbackEvent.class).decode(value).getRequestId()
                        : AvroCodec.of(LabelledExample.class).decode(value).getId();
            }
            return JSON.readTree(value).get(feedback ? "requestId" : "id").asText();
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + new String(value, StandardCharsets.UTF_8), e);
        }
    }
}
