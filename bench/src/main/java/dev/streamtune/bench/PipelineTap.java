package dev.streamtune.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import dev.streamtune.contract.RecordVerifier;
import dev.streamtune.contract.TopicSpec;
import dev.streamtune.contract.Topics;
import dev.streamtune.contract.TrustedKeys;
import dev.streamtune.kafka.KafkaClients;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TopicFollower;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.PromotionDecision;
import dev.streamtune.schema.RejectedRecord;
import dev.streamtune.schema.Split;
import dev.streamtune.schema.TrainingWindow;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * What the pipeline wrote, read back from the broker as any downstream consumer would (kafka-io's
 * {@link TopicFollower}: read_committed, from the beginning, on its own thread, decode-or-skip, candidates only when
 * signed by a trusted trainer key): ingest's clean examples, closed windows and dead letters, and the trainer's
 * candidates, and the evaluator's decisions on them (signed by a trusted evaluator key). The benches' only view
 * of the windows' contents, so the test sets and the joint run's data are exactly what ingest produced. The
 * caller's thread waits on the tap's monitor, woken by each record.
 */
final class PipelineTap implements AutoCloseable {

    private static final List<TopicSpec> TOPICS = List.of(Topics.CLEAN_EXAMPLES, Topics.CLOSED_WINDOWS,
            Topics.ADAPTER_CANDIDATES, Topics.PROMOTION_DECISIONS, Topics.REJECTED_RECORDS);
    /** The longest a waiting caller sleeps between checks of its deadline and of the services' liveness. */
    private static final long CHECK_MILLIS = 200;

    private final KafkaConnection kafka;
    private final TopicFollower follower;
    // Guarded by this: written by the follower's thread, read by the caller's.
    private final Map<String, List<CleanExample>> examples = new HashMap<>();
    private final Map<Long, TrainingWindow> windows = new HashMap<>();
    private final Map<String, AdapterCandidate> candidatesByWindow = new HashMap<>();
    private final Map<String, PromotionDecision> decisionsByCandidate = new HashMap<>();
    private final List<RejectedRecord> rejected = new ArrayList<>();

    /** @param trusted the run's trusted keys: a candidate is seen only when its trainer signature verifies */
    PipelineTap(String bootstrapServers, TrustedKeys trusted) {
        this.kafka = KafkaConnection.plaintext(bootstrapServers);
        this.follower = new TopicFollower("stream-bench-tap", kafka, TOPICS, topic -> null,
                new RecordVerifier(trusted, RecordVerifier.Rejections.NONE), this::handle).start();
    }

    /**
     * Returns once every partition of these topics has a leader that answers. A topic created a moment ago can be
     * listed with a leader before that broker acts as one; an idempotent producer whose first batch hits that gap
     * can wedge on out-of-order sequence errors. A leader answering an end-offsets request is past the gap.
     */
    void awaitLeaders(List<TopicSpec> topics, Duration timeout) {
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.assignedConsumer(kafka, "stream-bench-leaders")) {
            consumer.endOffsets(KafkaClients.partitions(consumer, topics), timeout);
        }
    }

    /**
     * Waits for the window with this sequence number to close and for all of its examples to arrive.
     *
     * @param alive checked while waiting: false stops the wait at once (a service died)
     */
    TrainingWindow awaitWindow(long sequence, Duration timeout, BooleanSupplier alive) {
        return await(() -> {
            TrainingWindow window = windows.get(sequence);
            return window != null && examples(window.getWindowId()).size()
                    == window.getTrainCount() + window.getValidationCount() + window.getTestCount() ? window : null;
        }, timeout, alive, "window " + sequence + " to close");
    }

    /** Waits for the trainer's candidate for this window. */
    AdapterCandidate awaitCandidate(String windowId, Duration timeout, BooleanSupplier alive) {
        return await(() -> candidatesByWindow.get(windowId), timeout, alive, "a candidate for " + windowId);
    }

    /** Waits for the evaluator's first decision on this candidate (approved or rejected). */
    PromotionDecision awaitDecision(String candidateId, Duration timeout, BooleanSupplier alive) {
        return await(() -> decisionsByCandidate.get(candidateId), timeout, alive, "a decision on " + candidateId);
    }

    synchronized List<CleanExample> examples(String windowId) {
        return List.copyOf(examples.getOrDefault(windowId, List.of()));
    }

    List<CleanExample> examples(String windowId, Split split) {
        return examples(windowId).stream().filter(e -> e.getSplit() == split).toList();
    }

    /** Dead letters so far, by reason code: the bench sends nothing ingest should refuse. */
    synchronized Map<String, Long> rejections() {
        Map<String, Long> byReason = new LinkedHashMap<>();
        rejected.forEach(r -> byReason.merge(r.getReasonCode() + " (" + r.getReason() + ")", 1L, Long::sum));
        return byReason;
    }

    /** Waits on this tap's monitor until {@code found} gives a value, checking the deadline and liveness. */
    private synchronized <T> T await(Supplier<T> found, Duration timeout, BooleanSupplier alive, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = found.get();
            if (value != null) {
                return value;
            }
            if (!rejected.isEmpty()) {
                throw new IllegalStateException("ingest refused records the bench sent: " + rejections());
            }
            if (!alive.getAsBoolean()) {
                throw new IllegalStateException("a pipeline service stopped while waiting for " + what);
            }
            if (!follower.alive()) {
                throw new IllegalStateException("the bench's tap stopped following while waiting for " + what
                        + ": " + follower.loop().fatalFault());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            try {
                wait(CHECK_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    /** On the follower's thread: files the record and wakes the waiting caller. */
    private synchronized void handle(TopicSpec topic, Object value, Instant timestamp) {
        if (value instanceof CleanExample example) {
            examples.computeIfAbsent(example.getWindowId(), w -> new ArrayList<>()).add(example);
        } else if (value instanceof TrainingWindow window) {
            windows.put(window.getSequence(), window);
        } else if (value instanceof AdapterCandidate candidate) {
            candidate.getWindowIds().forEach(w -> candidatesByWindow.put(w, candidate));
        } else if (value instanceof PromotionDecision decision) {
            // The gate's verdict comes first; a later operator rollback of the same candidate is not this bench's.
            decisionsByCandidate.putIfAbsent(decision.getCandidateId(), decision);
        } else if (value instanceof RejectedRecord rejection) {
            rejected.add(rejection);
        }
        notifyAll();
    }

    @Override
    public void close() {
        follower.close();
    }
}
