package dev.streamtune.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import dev.streamtune.contract.TopicSpec;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.KafkaClients;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.PromotionDecision;
import dev.streamtune.schema.TrainingWindow;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Everything the pipeline has committed, as a read_committed reader sees it from the beginning of each topic, kept
 * in arrival order: the clean examples (counted per example id), the closed windows, the candidates, the promotion
 * decisions and the deployments. It reads on through broker restarts (the consumer reconnects by itself).
 */
final class PipelineTranscript implements AutoCloseable {

    private static final List<TopicSpec> READ = List.of(Topics.CLEAN_EXAMPLES, Topics.CLOSED_WINDOWS,
            Topics.ADAPTER_CANDIDATES, Topics.PROMOTION_DECISIONS, Topics.DEPLOYMENTS);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final Map<String, Integer> cleanCopies = new ConcurrentHashMap<>();
    private final AtomicLong cleanRecords = new AtomicLong();
    private final AtomicLong lastCleanNanos = new AtomicLong();
    private final List<TrainingWindow> windows = new CopyOnWriteArrayList<>();
    private final List<AdapterCandidate> candidates = new CopyOnWriteArrayList<>();
    private final List<PromotionDecision> decisions = new CopyOnWriteArrayList<>();
    private final List<Deployment> deployments = new CopyOnWriteArrayList<>();
    private volatile RuntimeException failure;

    PipelineTranscript(String bootstrapServers) {
        this.consumer = KafkaClients.assignedConsumer(KafkaConnection.plaintext(bootstrapServers), "fault-test-transcript");
        List<TopicPartition> partitions = KafkaClients.partitions(consumer, READ);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::run, "pipeline-transcript");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        try {
            while (true) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Object value = Topics.byName(record.topic()).decode(record.value());
                    if (value instanceof CleanExample example) {
                        cleanCopies.merge(example.getId(), 1, Integer::sum);
                        cleanRecords.incrementAndGet();
                        lastCleanNanos.set(System.nanoTime());
                    } else if (value instanceof TrainingWindow window) {
                        windows.add(window);
                    } else if (value instanceof AdapterCandidate candidate) {
                        candidates.add(candidate);
                    } else if (value instanceof PromotionDecision decision) {
                        decisions.add(decision);
                    } else if (value instanceof Deployment deployment) {
                        deployments.add(deployment);
                    }
                }
            }
        } catch (WakeupException closing) {
            // close() stops us
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close();
        }
    }

    /** How many times each example id is in examples.clean. */
    Map<String, Integer> cleanCopies() {
        check();
        return Map.copyOf(cleanCopies);
    }

    long cleanRecords() {
        check();
        return cleanRecords.get();
    }

    /** System.nanoTime() of the latest clean example read; 0 before the first. */
    long lastCleanNanos() {
        return lastCleanNanos.get();
    }

    List<TrainingWindow> windows() {
        check();
        return List.copyOf(windows);
    }

    List<AdapterCandidate> candidates() {
        check();
        return List.copyOf(candidates);
    }

    List<PromotionDecision> decisions() {
        check();
        return List.copyOf(decisions);
    }

    List<Deployment> deployments() {
        check();
        return List.copyOf(deployments);
    }

    /** Examples counted in the closed windows' manifests. */
    long examplesInClosedWindows() {
        return windows().stream().mapToLong(w -> (long) w.getTrainCount() + w.getValidationCount() + w.getTestCount())
                .sum();
    }

    /** Candidates not (yet) decided. */
    List<AdapterCandidate> undecidedCandidates() {
        List<String> decided = decisions().stream().map(PromotionDecision::getCandidateId).toList();
        List<AdapterCandidate> open = new ArrayList<>(candidates());
        open.removeIf(c -> decided.contains(c.getCandidateId()));
        return open;
    }

    /** Polls the condition every 100 ms; returns how long it took, or fails with the message after the patience. */
    static Duration await(Duration patience, String what, BooleanSupplier condition) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not within " + patience.toSeconds() + " s: " + what);
            }
            Thread.sleep(100);
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private void check() {
        if (failure != null) {
            throw new IllegalStateException("the transcript reader stopped", failure);
        }
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        thread.join(10_000);
    }
}
