package dev.streamtune.serving;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import dev.streamtune.schema.Deployment;
import dev.streamtune.serving.adapter.AdapterRegistry;
import dev.streamtune.serving.adapter.ServedAdapter;
import dev.streamtune.serving.adapter.SwapFailure;
import dev.streamtune.serving.predict.Answer;
import dev.streamtune.serving.predict.PredictionLogWriter;
import dev.streamtune.serving.predict.PredictionService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The serving tier's Prometheus metrics, in one place (names as scraped from /prometheus):
 * <ul>
 *   <li>{@code serving_request_latency_seconds} (histogram, task): predict calls from arrival to answer</li>
 *   <li>{@code serving_forward_latency_seconds} (histogram, task): one forward pass of a batch</li>
 *   <li>{@code serving_batch_size} (histogram, task): texts per forward pass;
 *       {@code serving_batch_requests} requests per forward pass</li>
 *   <li>{@code serving_queue_depth} (task): texts waiting for a forward pass</li>
 *   <li>{@code serving_predictions_total} (task, label): texts answered, by predicted label</li>
 *   <li>{@code serving_texts_truncated_total} (task): texts cut to their task's text policy before predicting</li>
 *   <li>{@code serving_adapter_swaps_total} (task, outcome = swapped | rejected | superseded, kind)</li>
 *   <li>{@code serving_adapter_load_seconds} (task): load + warm-up time of swapped-in adapters</li>
 *   <li>{@code serving_adapter_info} (task, adapter) = 1 for the adapter answering now</li>
 *   <li>{@code serving_prediction_log_failures_total} (reason = dropped | send)</li>
 *   <li>{@code serving_feedback_total} (task, kind = correction | rating)</li>
 *   <li>{@code serving_rollout_answers_total} (task, role = champion | canary | shadow): texts answered by each
 *       side of a rollout (shadow answers reach nobody)</li>
 *   <li>{@code serving_shadow_latency_seconds} (histogram, task): a candidate's shadow forward passes;
 *       {@code serving_shadow_dropped_total} (task): shadow runs dropped because the shadow queue was full</li>
 *   <li>{@code serving_rollout_share} (task): share of request keys the task's canary candidate answers now (0 in
 *       shadow or without a rollout)</li>
 *   <li>{@code serving_annotation_requests_total} (task, reason), {@code serving_annotation_refused_total}
 *       (task, why = over_budget | duplicate), {@code serving_annotations_labelled_total} (task): predictions sent
 *       for a human label, and labels that came back</li>
 * </ul>
 */
public final class ServingMetrics implements PredictionService.Observer, AdapterRegistry.Listener,
        PredictionLogWriter.Failures {

    private final MeterRegistry meters;
    private final ConcurrentMap<String, Timer> requestLatency = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> forwardLatency = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, DistributionSummary> batchSize = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, DistributionSummary> batchRequests = new ConcurrentHashMap<>();
    private final ConcurrentMap<List<String>, Counter> predictions = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> truncated = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, String> currentAdapters = new ConcurrentHashMap<>();
    private final MultiGauge adapterInfo;
    private final ConcurrentMap<List<String>, Counter> rolloutAnswers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> shadowLatency = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Double> rolloutShares = new ConcurrentHashMap<>();

    public ServingMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.adapterInfo = MultiGauge.builder("serving.adapter.info")
                .description("1 for the adapter answering each task now").register(meters);
        // Exported from the start, so dashboards and alerts see 0 rather than no series.
        logFailures("dropped");
        logFailures("send");
    }

    @Override
    public void batcherStarted(String task, java.util.function.IntSupplier queued) {
        io.micrometer.core.instrument.Gauge.builder("serving.queue.depth", queued::getAsInt)
                .description("Texts waiting for a forward pass").tag("task", task).register(meters);
    }

    @Override
    public void answered(Answer answer) {
        rolloutAnswers.computeIfAbsent(List.of(answer.task(), answer.role().name().toLowerCase(java.util.Locale.ROOT)),
                key -> Counter.builder("serving.rollout.answers").description("Texts answered, by side of a rollout")
                        .tags("task", key.get(0), "role", key.get(1)).register(meters))
                .increment(answer.predictions().size());
        if (!answer.seenByUser()) {
            shadowLatency.computeIfAbsent(answer.task(), task -> Timer.builder("serving.shadow.latency")
                            .description("A rollout candidate's forward pass in shadow").tag("task", task)
                            .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                            .maximumExpectedValue(Duration.ofSeconds(10)).register(meters))
                    .record(answer.latencyMicros(), TimeUnit.MICROSECONDS);
            return; // nobody got it: not a request, not a served label
        }
        requestLatency.computeIfAbsent(answer.task(), task -> Timer.builder("serving.request.latency")
                        .description("Predict calls from arrival to answer, queueing included")
                        .tag("task", task).publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
                        .register(meters))
                .record(answer.latencyMicros(), TimeUnit.MICROSECONDS);
        for (Answer.Served served : answer.predictions()) {
            if (served.truncated()) {
                truncated.computeIfAbsent(answer.task(), task -> Counter.builder("serving.texts.truncated")
                        .description("Predicted texts cut to their task's text policy (maxChars)")
                        .tag("task", task).register(meters)).increment();
            }
            String label = served.prediction().label();
            predictions.computeIfAbsent(List.of(answer.task(), label), key -> Counter.builder("serving.predictions")
                    .description("Texts answered, by predicted label").tags("task", key.get(0), "label", key.get(1))
                    .register(meters)).increment();
        }
    }

    /** A shadow run dropped: the candidate could not keep up with its shadow share. */
    public void shadowDropped(String task) {
        meters.counter("serving.shadow.dropped", "task", task).increment();
    }

    /** The task's canary share now (0: shadow or no rollout). */
    public void rolloutShare(String task, double share) {
        if (rolloutShares.put(task, share) == null) {
            io.micrometer.core.instrument.Gauge.builder("serving.rollout.share", rolloutShares,
                            m -> m.getOrDefault(task, 0.0))
                    .description("Share of request keys the task's canary candidate answers").tag("task", task)
                    .register(meters);
        }
    }

    /** A prediction sent for a human label, for each reason it was chosen. */
    public void annotationRequested(String task, List<String> reasons) {
        for (String reason : reasons) {
            meters.counter("serving.annotation.requests", "task", task, "reason", reason).increment();
        }
    }

    /** A prediction worth a label that was not sent: over the task's hourly budget, or already asked. */
    public void annotationRefused(String task, String why) {
        meters.counter("serving.annotation.refused", "task", task, "why", why).increment();
    }

    /** A label came back as feedback on a prediction serving asked about. */
    public void annotationLabelled(String task) {
        meters.counter("serving.annotations.labelled", "task", task).increment();
    }

    @Override
    public void batched(String task, int requests, int texts, long nanos) {
        forwardLatency.computeIfAbsent(task, t -> Timer.builder("serving.forward.latency")
                .description("One forward pass of a micro-batch").tag("task", t).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(meters)).record(nanos, TimeUnit.NANOSECONDS);
        batchSize.computeIfAbsent(task, t -> DistributionSummary.builder("serving.batch.size")
                .description("Texts per forward pass").tag("task", t).serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128)
                .register(meters)).record(texts);
        batchRequests.computeIfAbsent(task, t -> DistributionSummary.builder("serving.batch.requests")
                .description("Predict calls per forward pass").tag("task", t)
                .register(meters)).record(requests);
    }

    @Override
    public void swapped(ServedAdapter previous, ServedAdapter current, Duration loadTime) {
        swaps(current.task(), "swapped", "ok").increment();
        Timer.builder("serving.adapter.load").description("Load and warm-up time of adapters swapped in")
                .tag("task", current.task()).register(meters).record(loadTime);
        currentAdapters.put(current.task(), current.adapterId());
        adapterInfo.register(currentAdapters.entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("task", e.getKey(), "adapter", e.getValue()), 1))
                .toList(), true);
    }

    @Override
    public void failed(SwapFailure failure) {
        swaps(failure.task(), "rejected", failure.kind()).increment();
    }

    @Override
    public void superseded(Deployment deployment) {
        swaps(deployment.getTask(), "superseded", "newer").increment();
    }

    private Counter swaps(String task, String outcome, String kind) {
        return Counter.builder("serving.adapter.swaps").description("Deployments handled, by outcome")
                .tags("task", task, "outcome", outcome, "kind", kind).register(meters);
    }

    @Override
    public void dropped(int records) {
        logFailures("dropped").increment(records);
    }

    @Override
    public void failed(Throwable cause) {
        logFailures("send").increment();
    }

    private Counter logFailures(String reason) {
        return Counter.builder("serving.prediction.log.failures")
                .description("Prediction log records that did not reach the topic").tag("reason", reason)
                .register(meters);
    }

    public void feedback(String task, boolean correction) {
        Counter.builder("serving.feedback").description("Feedback events accepted")
                .tags("task", task, "kind", correction ? "correction" : "rating").register(meters).increment();
    }
}
