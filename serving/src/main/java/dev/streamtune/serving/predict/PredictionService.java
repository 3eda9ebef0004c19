package dev.streamtune.serving.predict;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.streamtune.model.Prediction;
import dev.streamtune.schema.ServingRole;
import dev.streamtune.serving.RequestRejectedException;
import dev.streamtune.serving.RequestRejectedException.Reason;
import dev.streamtune.serving.ServingSettings;
import dev.streamtune.serving.adapter.AdapterLease;
import dev.streamtune.serving.adapter.AdapterRegistry;
import dev.streamtune.serving.adapter.ServedAdapter;
import dev.streamtune.serving.rollout.CandidateTrials;
import dev.streamtune.serving.rollout.LiveTraffic;
import dev.streamtune.serving.rollout.RolloutRoutes;
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

    private record BatchResult(ServedAdapter adapter, List<Prediction> predictions, ServingRole role) {
    }

    /** A task's batcher for the champion, or for its rollout's canary candidate. */
    private record BatcherKey(String task, boolean canary) {
    }

    private final AdapterRegistry registry;
    private final ServingSettings.Batch settings;
    private final String baseModelId;
    private final Observer observer;
    private final Clock clock;
    private final CandidateTrials trials;
    /** Where calls report their start and end, so that shadow runs find quiet moments (unread without rollouts). */
    private final LiveTraffic traffic;
    private final ConcurrentMap<BatcherKey, MicroBatcher<List<String>, BatchResult>> batchers =
            new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Without rollouts: the champion answers everything. */
    public PredictionService(AdapterRegistry registry, ServingSettings.Batch settings, String baseModelId,
                             Observer observer, Clock clock) {
        this(registry, null, settings, baseModelId, observer, clock);
    }

    /** @param trials the candidates of rollouts; null: no rollouts, the champion answers everything */
    public PredictionService(AdapterRegistry registry, CandidateTrials trials, ServingSettings.Batch settings,
                             String baseModelId, Observer observer, Clock clock) {
        this.registry = registry;
        this.trials = trials;
        this.traffic = trials == null ? new LiveTraffic(System::nanoTime) : trials.shadow().traffic();
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
        return predict(task, fitted, null);
    }

    /**
     * As {@link #predict(String, ServedTasks.FittedTexts)}, routed by {@code routingKey} while the task's rollout
     * runs a canary (null: the request id, so the call is routed on its own). A champion's answer may also be run
     * on the candidate in shadow, after it is returned.
     */
    public CompletableFuture<Answer> predict(String task, ServedTasks.FittedTexts fitted, String routingKey) {
        List<String> texts = fitted.texts();
        long arrived = System.nanoTime();
        if (!registry.isServing(task)) {
            throw notServing(task);
        }
        if (closed) {
            throw new RequestRejectedException(Reason.OVERLOADED, "The serving tier is shutting down");
        }
        String requestId = UUID.randomUUID().toString();
        boolean canary = trials != null && trials.candidates().isServing(task) && trials.routes()
                .route(task, routingKey == null ? requestId : routingKey) == RolloutRoutes.Route.CANARY;
        MicroBatcher<List<String>, BatchResult> batcher = batchers.computeIfAbsent(new BatcherKey(task, canary),
                this::newBatcher);
        traffic.started();
        CompletableFuture<BatchResult> pass;
        try {
            pass = batcher.submit(texts);
        } catch (RuntimeException e) {
            traffic.ended();
            throw e;
        }
        CompletableFuture<Answer> answered = pass.thenApply(result -> {
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
                    (System.nanoTime() - arrived) / 1_000, result.role(), null);
            observer.answered(answer);
            if (answer.role() == ServingRole.CHAMPION && trials != null && trials.routes().shadows(task)) {
                trials.shadow().submit(answer);
            }
            return answer;
        });
        answered.whenComplete((answer, failure) -> traffic.ended());
        return answered;
    }

    /** Texts waiting in the task's batcher. */
    public int queued(String task) {
        MicroBatcher<?, ?> batcher = batchers.get(new BatcherKey(task, false));
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

    private MicroBatcher<List<String>, BatchResult> newBatcher(BatcherKey key) {
        String task = key.task();
        MicroBatcher<List<String>, BatchResult> batcher = new MicroBatcher<>(
                "batcher-" + task + (key.canary() ? "-canary" : ""), settings.maxSize(), settings.maxWait(),
                settings.maxQueued(), settings.workers(), List::size, batch -> forward(task, key.canary(), batch),
                (requests, texts, nanos) -> observer.batched(task, requests, texts, nanos));
        if (!key.canary()) {
            observer.batcherStarted(task, batcher::queued);
        }
        return batcher;
    }

    /**
     * One forward pass for a batch of calls, under a lease that keeps the adapter open until it is done. A canary
     * batch whose candidate was withdrawn meanwhile (the rollout ended) is answered by the champion.
     */
    private List<BatchResult> forward(String task, boolean canary, List<List<String>> calls) {
        Optional<AdapterLease> candidate = canary ? trials.candidates().lease(task) : Optional.empty();
        ServingRole role = candidate.isPresent() ? ServingRole.CANARY : ServingRole.CHAMPION;
        try (AdapterLease lease = candidate.or(() -> registry.lease(task)).orElseThrow(() -> notServing(task))) {
            List<String> texts = new ArrayList<>();
            calls.forEach(texts::addAll);
            List<Prediction> predictions = lease.model().predict(texts);
            List<BatchResult> results = new ArrayList<>(calls.size());
            int from = 0;
            for (List<String> call : calls) {
                results.add(new BatchResult(lease.adapter(), predictions.subList(from, from + call.size()), role));
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
