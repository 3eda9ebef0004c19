package dev.streamtune.serving;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.streamtune.contract.RecordVerifier;
import dev.streamtune.contract.SigningConfig;
import dev.streamtune.schema.Deployment;
import dev.streamtune.kafka.TaskCatalogueFollower;
import dev.streamtune.service.KafkaConfig;
import dev.streamtune.contract.Topics;
import dev.streamtune.model.annotation.AnnotationBudget;
import dev.streamtune.model.annotation.AnnotationSelector;
import dev.streamtune.schema.AnnotationRequest;
import dev.streamtune.serving.adapter.AdapterRegistry;
import dev.streamtune.serving.annotation.AnnotationRequester;
import dev.streamtune.serving.adapter.DecisionBook;
import dev.streamtune.serving.adapter.ModelAdapterLoader;
import dev.streamtune.serving.adapter.ServedAdapter;
import dev.streamtune.serving.adapter.SwapFailure;
import dev.streamtune.serving.dashboard.DashboardHistory;
import dev.streamtune.serving.feedback.FeedbackMapper;
import dev.streamtune.serving.kafka.ServingPublisher;
import dev.streamtune.serving.predict.Answer;
import dev.streamtune.serving.predict.PredictionLogWriter;
import dev.streamtune.serving.predict.PredictionService;
import dev.streamtune.serving.predict.RecentPredictions;
import dev.streamtune.serving.predict.RequestLimits;
import dev.streamtune.serving.rollout.CandidateTrials;
import dev.streamtune.serving.rollout.RolloutRoutes;
import dev.streamtune.serving.rollout.ShadowRunner;
import dev.streamtune.serving.tasks.ServedTasks;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/**
 * Wires the plain classes of the serving tier together; Micronaut only sees them here. Each bean's
 * {@code close} runs at shutdown, dependents first: batchers drain before the registry retires its adapters,
 * and those close before the base model.
 */
@Factory
final class ServingBeans {

    /** Decisions remembered to explain deployments (each a few KB with its report). */
    private static final int DECISIONS_KEPT = 1000;
    /** Prediction log records waiting for the producer before new ones are dropped. */
    private static final int LOG_QUEUE = 50_000;
    /** Shadow runs waiting for the candidate before new ones are dropped: a few seconds of a shadow share's work. */
    private static final int SHADOW_QUEUE = 64;
    /**
     * A shadow run starts once no user's call has been in flight this long: past the answer's way out (JSON, the
     * socket), and short beside the gaps between users' calls at any load that leaves room for shadows at all.
     */
    private static final Duration SHADOW_QUIET = Duration.ofMillis(2);

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    ServingMetrics metrics(MeterRegistry meters) {
        return new ServingMetrics(meters);
    }

    /**
     * Checks decisions, deployments and task definitions were signed by a trusted evaluator key; counts the ones
     * that were not.
     */
    @Singleton
    RecordVerifier verifier(@Value("${streamtune.signing.trusted-keys:}") String trustedKeys, MeterRegistry meters) {
        return new RecordVerifier(SigningConfig.trustedKeys(trustedKeys), (topic, reason) ->
                meters.counter(RecordVerifier.REJECTED_METER, "topic", topic, "reason", reason.tag()).increment());
    }

    /**
     * The live task catalogue: which tasks exist, their labels, state and text policy. Started with the context
     * (readiness waits for its replay), so the first request already sees every task.
     */
    @Context
    @Bean(preDestroy = "close")
    TaskCatalogueFollower catalogue(KafkaConfig kafka, RecordVerifier verifier) {
        return new TaskCatalogueFollower("serving", kafka.connection(), verifier).start();
    }

    @Singleton
    ServedTasks servedTasks(TaskCatalogueFollower catalogue) {
        return new ServedTasks(catalogue::current);
    }

    @Singleton
    DecisionBook decisions() {
        return new DecisionBook(DECISIONS_KEPT);
    }

    @Singleton
    DashboardHistory history(ServingSettings settings, Clock clock) {
        return new DashboardHistory(settings.dashboard().bucket(), settings.dashboard().maxPoints(), clock);
    }

    @Singleton
    @Bean(preDestroy = "close")
    AdapterRegistry registry(ModelAdapterLoader loader, ServingMetrics metrics, DashboardHistory history,
                             Clock clock) {
        return new AdapterRegistry(loader, new AdapterRegistry.Listener() {
            @Override
            public void swapped(ServedAdapter previous, ServedAdapter current, Duration loadTime) {
                metrics.swapped(previous, current, loadTime);
                history.onSwap(current.task(), current.adapterId(), "SWAPPED",
                        "loaded and warmed in " + loadTime.toMillis() + " ms", current.servingSince());
            }

            @Override
            public void failed(SwapFailure failure) {
                metrics.failed(failure);
                history.onSwap(failure.task(), failure.adapterId(), "REJECTED",
                        failure.kind() + ": " + failure.message(), failure.at());
            }

            @Override
            public void superseded(Deployment deployment) {
                metrics.superseded(deployment);
                history.onSwap(deployment.getTask(), deployment.getAdapterId(), "SUPERSEDED",
                        "a newer deployment arrived before it was served", Instant.now(clock));
            }
        }, clock);
    }

    /**
     * Predictions worth a human label, to annotation.requests. Sent from a thread of its own: a producer waiting
     * for the broker's metadata must not hold a request thread (the volume is a budget per hour, so one suffices).
     */
    @Singleton
    AnnotationRequester annotations(ServingSettings settings, ServingPublisher publisher, ServingMetrics metrics,
                                    Clock clock) {
        var policy = settings.annotation().policy();
        var sender = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0, java.util.concurrent.TimeUnit.SECONDS,
                new java.util.concurrent.ArrayBlockingQueue<>(1000), r -> {
                    Thread thread = new Thread(r, "annotation-requests");
                    thread.setDaemon(true);
                    return thread;
                }, (r, pool) -> metrics.annotationRefused("*", "send_queue_full"));
        return new AnnotationRequester(settings.annotation().enabled(), new AnnotationSelector(policy),
                new AnnotationBudget(policy),
                request -> sender.execute(() -> publisher.send(Topics.ANNOTATION_REQUESTS,
                        request.getPredictionId(), request).whenComplete((ok, error) -> {
                            if (error != null) {
                                metrics.annotationRefused(request.getTask(), "send_failed");
                            }
                        })), new AnnotationRequester.Observer() {
                    @Override
                    public void requested(AnnotationRequest request) {
                        metrics.annotationRequested(request.getTask(), request.getReasons());
                    }

                    @Override
                    public void refused(String task, AnnotationBudget.Decision why) {
                        metrics.annotationRefused(task, why.name().toLowerCase(java.util.Locale.ROOT));
                    }

                    @Override
                    public void labelled(String task) {
                        metrics.annotationLabelled(task);
                    }
                }, clock);
    }

    @Singleton
    RequestLimits limits(ServingSettings settings) {
        return new RequestLimits(settings.maxTextsPerRequest(), settings.maxTextLength(), settings.maxIdLength(),
                settings.maxAttributes(), settings.maxAttributeLength());
    }

    @Singleton
    RecentPredictions recentPredictions(ServingSettings settings) {
        return new RecentPredictions(settings.recentPredictions());
    }

    @Singleton
    FeedbackMapper feedbackMapper(RequestLimits limits, ServingSettings settings) {
        return new FeedbackMapper(limits, settings.recentPredictions());
    }

    @Singleton
    @Bean(preDestroy = "close")
    ServingPublisher publisher(KafkaConfig kafka) {
        return new ServingPublisher(kafka.connection());
    }

    @Singleton
    @Bean(preDestroy = "close")
    PredictionLogWriter predictionLog(ServingPublisher publisher, ServingMetrics metrics) {
        return new PredictionLogWriter(publisher, LOG_QUEUE, metrics);
    }

    /**
     * Rollouts' candidates: their own registry (loaded like champions, shown on the dashboard as CANDIDATE), the
     * routes, and the shadow runner whose answers go to the prediction log and metrics only.
     */
    @Singleton
    @Bean(preDestroy = "close")
    CandidateTrials candidateTrials(ModelAdapterLoader loader, ServingMetrics metrics, DashboardHistory history,
                                    PredictionLogWriter log, AnnotationRequester annotations, Clock clock) {
        AdapterRegistry candidates = new AdapterRegistry(loader, new AdapterRegistry.Listener() {
            @Override
            public void swapped(ServedAdapter previous, ServedAdapter current, Duration loadTime) {
                history.onSwap(current.task(), current.adapterId(), "CANDIDATE",
                        "rollout candidate loaded and warmed in " + loadTime.toMillis() + " ms",
                        current.servingSince());
            }

            @Override
            public void failed(SwapFailure failure) {
                metrics.failed(failure);
                history.onSwap(failure.task(), failure.adapterId(), "REJECTED",
                        "rollout candidate: " + failure.kind() + ": " + failure.message(), failure.at());
            }

            @Override
            public void superseded(Deployment deployment) {
            }
        }, clock);
        ShadowRunner shadow = new ShadowRunner(candidates, SHADOW_QUEUE, SHADOW_QUIET, new ShadowRunner.Observer() {
            @Override
            public void answered(Answer answer) {
                metrics.answered(answer);
                log.answered(answer);
                annotations.shadowed(answer);
            }

            @Override
            public void dropped(String task) {
                metrics.shadowDropped(task);
            }
        }, clock);
        return new CandidateTrials(candidates,
                new RolloutRoutes(() -> java.util.concurrent.ThreadLocalRandom.current().nextDouble()), shadow);
    }

    @Singleton
    @Bean(preDestroy = "close")
    PredictionService predictions(AdapterRegistry registry, CandidateTrials trials, ModelAdapterLoader loader,
                                  ServingSettings settings, ServingMetrics metrics, RecentPredictions recent,
                                  PredictionLogWriter log, Clock clock) {
        return new PredictionService(registry, trials, settings.batch(), loader.baseModelId(), new PredictionService.Observer() {
            @Override
            public void answered(Answer answer) {
                metrics.answered(answer);
                recent.answered(answer);
                log.answered(answer);
            }

            @Override
            public void batched(String task, int requests, int texts, long nanos) {
                metrics.batched(task, requests, texts, nanos);
            }

            @Override
            public void batcherStarted(String task, java.util.function.IntSupplier queued) {
                metrics.batcherStarted(task, queued);
            }
        }, clock);
    }
}
