package dev.streamtune.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import dev.streamtune.contract.TopicSpec;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.KafkaClients;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.RejectedRecord;
import dev.streamtune.schema.Split;
import dev.streamtune.schema.TrainingWindow;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * What the pipeline wrote, read back from the broker as any downstream consumer would (read_committed, from the
 * beginning): ingest's clean examples, closed windows and dead letters, and the trainer's candidates. The
 * bench's only view of the windows' contents, so the test sets and the joint run's data are exactly what ingest
 * produced. Polled by the caller's thread while it waits.
 */
final class PipelineTap implements AutoCloseable {

    private static final List<TopicSpec> TOPICS = List.of(Topics.CLEAN_EXAMPLES, Topics.CLOSED_WINDOWS,
            Topics.ADAPTER_CANDIDATES, Topics.REJECTED_RECORDS);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, List<CleanExample>> examples = new HashMap<>();
    private final Map<Long, TrainingWindow> windows = new HashMap<>();
    private final Map<String, AdapterCandidate> candidatesByWindow = new HashMap<>();
    private final List<RejectedRecord> rejected = new ArrayList<>();

    PipelineTap(String bootstrapServers) {
        consumer = KafkaClients.assignedConsumer(KafkaConnection.plaintext(bootstrapServers), "wordnet-bench-tap");
        List<TopicPartition> partitions = KafkaClients.partitions(consumer, TOPICS);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /**
     * Returns once every partition of these topics has a leader that answers. A topic created a moment ago can be
     * listed with a leader before that broker acts as one; an idempotent producer whose first batch hits that gap
     * can wedge on out-of-order sequence errors. A leader answering an end-offsets request is past the gap.
     */
    void awaitLeaders(List<TopicSpec> topics, Duration timeout) {
        consumer.endOffsets(KafkaClients.partitions(consumer, topics), timeout);
    }

    /**
     * Waits for the window with this sequence number to close and for all of its examples to arrive.
     *
     * @param alive checked while waiting: false stops the wait at once (a service died)
     */
    TrainingWindow awaitWindow(long sequence, Duration timeout, BooleanSupplier alive) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            TrainingWindow window = windows.get(sequence);
            if (window != null && examples(window.getWindowId()).size()
                    == window.getTrainCount() + window.getValidationCount() + window.getTestCount()) {
                return window;
            }
            check(deadline, alive, "window " + sequence + " to close");
            poll();
        }
    }

    /** Waits for the trainer's candidate for this window. */
    AdapterCandidate awaitCandidate(String windowId, Duration timeout, BooleanSupplier alive) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!candidatesByWindow.containsKey(windowId)) {
            check(deadline, alive, "a candidate for " + windowId);
            poll();
        }
        return candidatesByWindow.get(windowId);
    }

    List<CleanExample> examples(String windowId) {
        return examples.getOrDefault(windowId, List.of());
    }

    List<CleanExample> examples(String windowId, Split split) {
        return examples(windowId).stream().filter(e -> e.getSplit() == split).toList();
    }

    /** Dead letters so far, by reason code: the bench sends nothing ingest should refuse. */
    Map<String, Long> rejections() {
        Map<String, Long> byReason = new LinkedHashMap<>();
        rejected.forEach(r -> byReason.merge(r.getReasonCode() + " (" + r.getReason() + ")", 1L, Long::sum));
        return byReason;
    }

    private void check(long deadline, BooleanSupplier alive, String what) {
        if (!rejected.isEmpty()) {
            throw new IllegalStateException("ingest refused records the bench sent: " + rejections());
        }
        if (!alive.getAsBoolean()) {
            throw new IllegalStateException("a pipeline service stopped while waiting for " + what);
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("timed out waiting for " + what);
        }
    }

    private void poll() {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            Object value = Topics.byName(record.topic()).decode(record.value());
            if (value instanceof CleanExample example) {
                examples.computeIfAbsent(example.getWindowId(), w -> new ArrayList<>()).add(example);
            } else if (value instanceof TrainingWindow window) {
                windows.put(window.getSequence(), window);
            } else if (value instanceof AdapterCandidate candidate) {
                candidate.getWindowIds().forEach(w -> candidatesByWindow.put(w, candidate));
            } else if (value instanceof RejectedRecord rejection) {
                rejected.add(rejection);
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
