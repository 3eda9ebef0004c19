package dev.streamtune.serving.predict;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.streamtune.contract.Topics;
import dev.streamtune.schema.PredictionLog;
import dev.streamtune.serving.kafka.ServingPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every served prediction to {@code predictions.log} (key = prediction id), for drift monitoring and for
 * joining feedback. Never slows or fails a request: answers are queued (bounded) and sent from this writer's own
 * thread, so a slow or absent broker costs log records, which are counted, not latency.
 */
public final class PredictionLogWriter implements PredictionService.Observer, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PredictionLogWriter.class);

    /** Counts what did not reach the topic. */
    public interface Failures {
        void dropped(int records);

        void failed(Throwable cause);
    }

    private final ServingPublisher publisher;
    private final Failures failures;
    private final BlockingQueue<PredictionLog> queue;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long lastWarning;

    public PredictionLogWriter(ServingPublisher publisher, int capacity, Failures failures) {
        this.publisher = publisher;
        this.failures = failures;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::drain, "prediction-log");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    @Override
    public void answered(Answer answer) {
        int dropped = 0;
        for (int i = 0; i < answer.predictions().size(); i++) {
            Answer.Served served = answer.predictions().get(i);
            PredictionLog.Builder record = PredictionLog.newBuilder().setRequestId(served.predictionId())
                    .setTask(answer.task()).setAdapterId(answer.adapterId()).setText(served.text())
                    .setPredictedLabel(served.prediction().label()).setProbabilities(served.prediction().byLabel())
                    .setServedAt(answer.servedAt()).setLatencyMicros(answer.latencyMicros()).setRole(answer.role());
            if (answer.champion() != null) {
                var champion = answer.champion().predictions().get(i).prediction();
                record.setChampionLabel(champion.label()).setChampionConfidence((double) champion.confidence())
                        .setChampionLatencyMicros(answer.champion().latencyMicros());
            }
            if (!queue.offer(record.build())) {
                dropped++;
            }
        }
        if (dropped > 0) {
            failures.dropped(dropped);
            warn("Prediction log queue full; dropped " + dropped + " records", null);
        }
    }

    private void drain() {
        while (running || !queue.isEmpty()) {
            PredictionLog record;
            try {
                record = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (record != null) {
                publisher.send(Topics.PREDICTION_LOG, record.getRequestId(), record).whenComplete((ok, error) -> {
                    if (error != null) {
                        failures.failed(error);
                        warn("A prediction log record was not written", error);
                    }
                });
            }
        }
    }

    /** At most one warning every ten seconds: a broker outage must not flood the log. */
    private void warn(String message, Throwable error) {
        long now = System.nanoTime();
        if (now - lastWarning > Duration.ofSeconds(10).toNanos()) {
            lastWarning = now;
            LOG.warn("{}{}", message, error == null ? "" : ": " + error);
        }
    }

    /** Sends what is queued (the publisher is closed afterwards, flushing it). */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
