package dev.streamtune.serving.rollout;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.streamtune.model.Prediction;
import dev.streamtune.schema.ServingRole;
import dev.streamtune.serving.adapter.AdapterLease;
import dev.streamtune.serving.adapter.AdapterRegistry;
import dev.streamtune.serving.predict.Answer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a rollout's candidate on texts the champion already answered, on its own thread, after the user has the
 * champion's answer: a shadow run never delays, changes or fails a request. It also waits for a quiet moment (no
 * user's call in flight for a while, {@link LiveTraffic}), so that it runs on spare capacity rather than beside a
 * user's forward pass. Calls wait in a bounded queue; when it is full (no spare capacity for the shadow share) a
 * call is dropped and counted, never queued without bound. Each shadow answer, carrying the champion's beside it,
 * goes to the observer (the prediction log, metrics).
 */
public final class ShadowRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ShadowRunner.class);

    /** What happens to shadow runs. */
    public interface Observer {
        void answered(Answer shadow);

        void dropped(String task);
    }

    private final AdapterRegistry trials;
    private final Observer observer;
    private final Clock clock;
    private final ThreadPoolExecutor executor;
    private final LiveTraffic traffic = new LiveTraffic(System::nanoTime);
    private final long quietNanos;

    /**
     * @param queueCapacity shadow runs that may wait; more are dropped
     * @param quiet         how long no user's call must have been in flight before a shadow run starts
     */
    public ShadowRunner(AdapterRegistry trials, int queueCapacity, Duration quiet, Observer observer, Clock clock) {
        this.trials = trials;
        this.quietNanos = quiet.toNanos();
        this.observer = observer;
        this.clock = clock;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity), r -> {
                    Thread thread = new Thread(r, "shadow-runner");
                    thread.setDaemon(true);
                    thread.setPriority(Thread.MIN_PRIORITY);
                    return thread;
                }, (r, pool) -> {
                    if (r instanceof ShadowCall call) {
                        observer.dropped(call.champion.task());
                    }
                });
    }

    private final class ShadowCall implements Runnable {
        final Answer champion;

        ShadowCall(Answer champion) {
            this.champion = champion;
        }

        @Override
        public void run() {
            if (!traffic.awaitQuiet(quietNanos)) {
                return; // shutting down
            }
            try {
                shadowAnswer(champion).ifPresent(observer::answered);
            } catch (RuntimeException e) {
                LOG.warn("Shadow run of task {} failed; the user had the champion's answer: {}", champion.task(),
                        e.toString());
            }
        }
    }

    /** Queues a shadow run of the candidate on the texts of {@code champion}'s answer; returns at once. */
    public void submit(Answer champion) {
        if (!executor.isShutdown()) {
            executor.execute(new ShadowCall(champion));
        }
    }

    private Optional<Answer> shadowAnswer(Answer champion) {
        Optional<AdapterLease> lease = trials.lease(champion.task());
        if (lease.isEmpty()) {
            return Optional.empty(); // the rollout ended, or its candidate is still loading
        }
        try (AdapterLease held = lease.get()) {
            List<String> texts = champion.predictions().stream().map(Answer.Served::text).toList();
            long started = System.nanoTime();
            List<Prediction> predictions = held.model().predict(texts);
            long micros = (System.nanoTime() - started) / 1_000;
            if (!predictions.stream().allMatch(Prediction::isFinite)) {
                return Optional.empty();
            }
            List<Answer.Served> served = new ArrayList<>(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                Answer.Served mine = champion.predictions().get(i);
                served.add(new Answer.Served(mine.predictionId(), mine.text(), mine.truncated(), predictions.get(i)));
            }
            return Optional.of(new Answer(champion.requestId(), champion.task(), held.adapter().adapterId(),
                    champion.baseModelId(), held.model().labels(), served, clock.instant(), micros,
                    ServingRole.SHADOW, champion));
        }
    }

    /** Where predict calls report their start and end. */
    public LiveTraffic traffic() {
        return traffic;
    }

    /** Calls waiting for the shadow thread. */
    public int queued() {
        return executor.getQueue().size();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
