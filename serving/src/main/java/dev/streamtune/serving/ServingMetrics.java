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
