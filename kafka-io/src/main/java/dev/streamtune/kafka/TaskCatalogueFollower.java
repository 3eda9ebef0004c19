package dev.streamtune.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.streamtune.contract.RecordVerifier;
import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.contract.TopicSpec;
import dev.streamtune.contract.Topics;
import dev.streamtune.schema.TaskDefinition;

/**
 * A service's live view of the task catalogue: follows the {@code tasks} topic from its beginning for as long as
 * the service runs, so a task created or a label appended takes effect without a restart. Only definitions signed
 * by the evaluator (the catalogue's one writer) and valid successors of the version held are applied
 * ({@link TaskCatalogue#apply}); anything else is logged and ignored. Thread-safe: {@link #current()} is one
 * volatile read of an immutable snapshot.
 */
public final class TaskCatalogueFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TaskCatalogueFollower.class);

    private final AtomicReference<TaskCatalogue> current = new AtomicReference<>(TaskCatalogue.empty());
    private final List<Consumer<TaskDefinition>> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch replayed = new CountDownLatch(1);
    private final TopicFollower follower;

    /**
     * @param service  who follows, for the thread, client id and log lines (e.g. "ingest")
     * @param verifier must admit a definition (signed by a trusted evaluator key) before it is applied
     */
    public TaskCatalogueFollower(String service, KafkaConnection kafka, RecordVerifier verifier) {
        this.follower = new TopicFollower(service + "-tasks", kafka, List.of(Topics.TASKS), topic -> null, verifier,
                new TopicFollower.Handler() {
                    @Override
                    public void handle(TopicSpec topic, Object value, Instant timestamp) {
                        accept((TaskDefinition) value);
                    }

                    @Override
                    public void caughtUp() {
                        LOG.info("{}: task catalogue read: {} tasks", service, current.get().all().size());
                        replayed.countDown();
                    }
                });
    }

    public TaskCatalogueFollower start() {
        follower.start();
        return this;
    }

    /** The catalogue as read so far. */
    public TaskCatalogue current() {
        return current.get();
    }

    /**
     * Tells {@code listener} about every definition applied from now on, on the follower's thread (keep it short;
     * the catalogue already holds the definition when it is called).
     */
    public void onChange(Consumer<TaskDefinition> listener) {
        listeners.add(listener);
    }

    /** Whether everything on the topic at start-up has been read. */
    public boolean caughtUp() {
        return follower.caughtUp();
    }

    /** Waits until the topic has been read to the end it had at start-up; false on timeout. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return replayed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Waits until every definition written before {@code moment} has been applied: a service that meets a task or
     * label it does not know, in a record written after the catalogue changed, sees the change before it decides.
     *
     * @return false when that did not happen within {@code timeout}
     */
    public boolean awaitReadAsOf(Instant moment, Duration timeout) throws InterruptedException {
        return follower.awaitReadAsOf(moment, timeout);
    }

    /** The follower's loop, for health. */
    public ConsumerLoop loop() {
        return follower.loop();
    }

    /** Applies a definition as if read from the topic: how tests and the writer's own view move on. */
    void accept(TaskDefinition definition) {
        TaskCatalogue before = current.get();
        TaskCatalogue after = before.apply(definition);
        if (after == before) {
            TaskDefinition held = before.find(definition.getTask()).orElse(null);
            TaskCatalogue.successorProblem(held, definition).ifPresent(problem ->
                    LOG.warn("ignored task definition {} v{}: {}", definition.getTask(), definition.getVersion(),
                            problem));
            return;
        }
        current.set(after);
        LOG.info("task {} v{} ({}): {} labels, {}", definition.getTask(), definition.getVersion(),
                definition.getChange(), definition.getLabels().size(), definition.getState());
        for (Consumer<TaskDefinition> listener : listeners) {
            try {
                listener.accept(definition);
            } catch (RuntimeException e) {
                LOG.warn("a task catalogue listener failed on {} v{}", definition.getTask(),
                        definition.getVersion(), e);
            }
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
