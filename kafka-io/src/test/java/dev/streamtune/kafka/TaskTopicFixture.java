package dev.streamtune.kafka;

import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.streamtune.contract.RecordSigner;
import dev.streamtune.contract.Topics;
import dev.streamtune.schema.TaskDefinition;

/**
 * For broker tests of every module: writes task definitions to the {@code tasks} topic as the evaluator's catalogue
 * writer would (signed, key = task), so a test can define the tasks its service follows.
 */
public final class TaskTopicFixture {

    private TaskTopicFixture() {
    }

    /** Signs each definition with {@code evaluator} (an EVALUATOR role signer) and writes it, waiting for each ack. */
    public static void publish(String bootstrapServers, RecordSigner evaluator, TaskDefinition... definitions) {
        write(bootstrapServers, java.util.Arrays.stream(definitions).map(evaluator::sign).toArray(TaskDefinition[]::new));
    }

    /** Writes the definitions as they are (unsigned ones included): what a forger with write access could do. */
    public static void write(String bootstrapServers, TaskDefinition... definitions) {
        KafkaConnection kafka = KafkaConnection.plaintext(bootstrapServers);
        new TopicProvisioner(kafka).ensureAll();
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(kafka, "task-topic-fixture", 0)) {
            for (TaskDefinition signed : definitions) {
                producer.send(new ProducerRecord<>(Topics.TASKS.name(), signed.getTask().getBytes(
                        java.nio.charset.StandardCharsets.UTF_8), Topics.TASKS.encode(signed))).get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not write task definitions", e.getCause());
        }
    }
}
