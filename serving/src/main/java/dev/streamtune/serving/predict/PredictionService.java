package dev.streamtune.serving.predict;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.streamtune.model.Prediction;
import dev.streamtune.serving.RequestRejectedException;
import dev.streamtune.serving.RequestRejectedException.Reason;
import dev.streamtune.serving.ServingSettings;
import dev.streamtune.serving.adapter.AdapterLease;
import dev.streamtune.serving.adapter.AdapterRegistry;
import dev.streamtune.serving.adapter.ServedAdapter;
import dev.streamtune.serving.tasks.ServedTasks;

/**
 * Answers predict calls: one {@link MicroBatcher} per task gathers concurrent calls into forward passes, each
 * forward pass runs under a lease on the task's current adapter, and every answer is handed to the observers
 * (metrics, prediction log, the recent-predictions cache for feedback).
 */
public final class PredictionService implements AutoCloseable {

    /** Told about every answer and every batch, on the batch worker thread: must be quick and must not throw. */
    public interface Observer {
        void answered(Answer answer);

        default void batched(String task, int requests, int texts, long nanos) {
        }

        /** A task's batcher started; {@code queued} tells how many texts wait in it. */
        default void batcherStarted(String task, java.util.function.IntSupplier queued) {
        }
    }

    private record BatchResult(ServedAdapter adapter, List<Prediction> predictions) {
    }

    private final AdapterRegistry registry;
    private final ServingSettings.Batch settings;
    private final String baseModelId;
    private final Observer observer;
    private final Clock clock;
    private final ConcurrentMap<String, MicroBatcher<List<String>, BatchResult>> batchers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public PredictionService(AdapterRegistry registry, ServingSettings.Batch settings, String baseModelId,
                             Observer observer, Clock clock) {
        this.registry = registry;
        this.settings = settings;
        this.baseModelId = baseModelId;
        this.observer = observer;
        this.clock = clock;
    }

    /**
     * Predicts {@code texts} (already validated) with the task's current adapter.
     *
     * @throws RequestRejectedException NOT_FOUND when no adapter serves the task, OVERLOADED when its queue is full
     */
    public CompletableFuture<Answer> predict(String task, List<String> texts) {
        return predict(task, ServedTasks.FittedTexts.asGiven(texts));
    }

    /**
     * Predicts texts already fitted to the task's text policy ({@link ServedTasks#fit}); each answer carries its
     * text's truncation flag.
     *
     * @throws RequestRejectedException NOT_FOUND when no adapter serves the task, OVERLOADED when its queue is full
     */
    public CompletableFuture<Answer> predict(String task, ServedTasks.FittedTexts fitted) {
        List<String> texts = fitted.texts();
        long arrived = System.nanoTime();
        if (!registry.isServing(task)) {
            throw notServing(task);
        }
        if (closed) {
            throw new RequestRejectedException(Reason.OVERLOADED, "The serving tier is shutting down");
        }
        String requestId = UUID.randomUUID().toString();
        return batchers.computeIfAbsent(task, this::newBatcher).submit(texts).thenApply(result -> {
            if (!result.predictions().stream().allMatch(Prediction::isFinite)) {
                // NaN is not JSON, and not an answer: this call fails, the others in its batch are unaffected.
                throw new RequestRejectedException(Reason.MODEL_ERROR, "Adapter " + result.adapter().adapterId()
                        + " produced a non-finite score for this request; it was not answered");
            }
            List<Answer.Served> served = new ArrayList<>(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                String id = texts.size() == 1 ? requestId : requestId + "-" + i;
                served.add(new Answer.Served(id, texts.get(i), fitted.truncated().get(i), result.predictions().get(i)));
            }
            Answer answer = new Answer(requestId, task, result.adapter().adapterId(), baseModelId,
                    result.adapter().model().labels(), served, clock.instant(),
                    (System.nanoTime() - arrived) / 1_000);
            observer.answered(answer);
            return answer;
        });
    }

    /** Texts waiting in the task's batcher. */
    public int queued(String task) {
        MicroBatcher<?, ?> batcher = batchers.get(task);
        return batcher == null ? 0 : batcher.queued();
    }

    private RequestRejectedException notServing(String task) {
        var pending = registry.pending(task);
        if (pending.isPresent()) {
            return new RequestRejectedException(Reason.OVERLOADED, "The first adapter for task '" + task + "' ("
                    + pending.get().getAdapterId() + ") is still loading; try again shortly");
        }
        var failure = registry.lastFailure(task);
        if (failure.isPresent()) {
            return new RequestRejectedException(Reason.NOT_FOUND, "No adapter is serving task '" + task
                    + "': the deployment of " + failure.get().adapterId() + " was rejected ("
                    + failure.get().kind() + "): " + failure.get().message());
        }
        return new RequestRejectedException(Reason.NOT_FOUND, "No adapter is deployed for task '" + task
                + "' yet");
    }

    private MicroBatcher<List<String>, BatchResult> newBatcher(String task) {
        MicroBatcher<List<String>, BatchResult> batcher = new MicroBatcher<>("batcher-" + task, settings.maxSize(), settings.maxWait(), settings.maxQueued(),
                settings.workers(), List::size, batch -> forward(task, batch),
                (requests, texts, nanos) -> observer.batched(task, requests, texts, nanos));
        observer.batcherStarted(task, batcher::queued);
        return batcher;
    }

    /** One forward pass for a batch of calls, under a lease that keeps the adapter open until it is done. */
    private List<BatchResult> forward(String task, List<List<String>> calls) {
        try (AdapterLease lease = registry.lease(task).orElseThrow(() -> notServing(task))) {
            List<String> texts = new ArrayList<>();
            calls.forEach(texts::addAll);
            List<Prediction> predictions = lease.model().predict(texts);
            List<BatchResult> results = new ArrayList<>(calls.size());
            int from = 0;
            for (List<String> call : calls) {
                results.add(new BatchResult(lease.adapter(), predictions.subList(from, from + call.size())));
                from += call.size();
            }
            return results;
        }
    }

    /** Runs what is queued, then stops the batchers. */
    @Override
    public void close() {
        closed = true;
        batchers.values().forEach(MicroBatcher::close);
    }
}
