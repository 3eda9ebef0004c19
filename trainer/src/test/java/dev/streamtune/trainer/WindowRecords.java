package dev.streamtune.trainer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import dev.streamtune.contract.TopicSpec;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.UnreadableRecords;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.TrainingWindow;
import dev.streamtune.schema.WindowCloseReason;
import dev.streamtune.testsupport.KafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** What ingest would write for a closed window, and the candidates the trainer answers with, for the trainer's ITs. */
final class WindowRecords {

    private WindowRecords() {
    }

    /** The window's examples on examples.clean, then its manifest on windows.closed, all keyed by task as ingest does. */
    static void sendWindow(KafkaBroker broker, String task, String windowId, int sequence, List<CleanExample> train,
                           List<CleanExample> validation) throws Exception {
        List<CleanExample> examples = new ArrayList<>(train);
        examples.addAll(validation);
        try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
            for (CleanExample example : examples) {
                send(producer, Topics.CLEAN_EXAMPLES, task, example);
            }
            send(producer, Topics.CLOSED_WINDOWS, task, TrainingWindow.newBuilder().setWindowId(windowId)
                    .setTask(task).setSequence(sequence)
                    .setStart(Instant.EPOCH).setEnd(Instant.EPOCH).setClosedAt(Instant.EPOCH)
                    .setCloseReason(WindowCloseReason.COUNT).setTrainCount(train.size())
                    .setValidationCount(validation.size()).setTestCount(0)
                    .setLabelHistogram(Map.of("positive", train.size() / 2L, "negative", train.size() / 2L))
                    .setSliceHistogram(Map.of()).setImbalanceRatio(1).setLengthHistogram(List.of())
                    .setLengthBucketBounds(List.of()).setMeanLength(8).setTopTokens(Map.of()).build());
        }
    }

    /**
     * The candidates published for these tasks, once there are at least {@code atLeast} of them or the timeout
     * passed. Other tests of the JVM share the broker, so candidates of other tasks are left out.
     */
    static List<AdapterCandidate> candidates(KafkaBroker broker, Collection<String> tasks, int atLeast,
                                             Duration timeout) {
        return of(tasks, broker.read(Topics.ADAPTER_CANDIDATES.name(),
                records -> of(tasks, records).size() >= atLeast, timeout));
    }

    private static List<AdapterCandidate> of(Collection<String> tasks, List<ConsumerRecord<byte[], byte[]>> records) {
        // TrainerRecoveryIT leaves undecodable records on the shared broker's candidates topic: skip them here too
        UnreadableRecords unreadable = new UnreadableRecords("test");
        return records.stream()
                .flatMap(r -> unreadable.decode(r).stream())
                .map(AdapterCandidate.class::cast)
                .filter(candidate -> tasks.contains(candidate.getTask()))
                .toList();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void send(KafkaProducer<byte[], byte[]> producer, TopicSpec topic, String key, Object value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic.name(), key.getBytes(StandardCharsets.UTF_8),
                topic.valueSerde((Class) value.getClass()).serialize(topic.name(), value))).get();
    }
}
