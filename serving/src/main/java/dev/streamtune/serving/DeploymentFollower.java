package dev.streamtune.serving;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.streamtune.contract.RecordVerifier;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.TopicFollower;
import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.PromotionDecision;
import dev.streamtune.service.KafkaConfig;
import dev.streamtune.serving.adapter.AdapterRegistry;
import dev.streamtune.serving.adapter.DecisionBook;
import dev.streamtune.serving.dashboard.DashboardHistory;
import dev.streamtune.serving.rollout.CandidateTrials;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;

/**
 * Follows {@code deployments} (compacted, key = task) and {@code promotion.decisions} from the beginning: the
 * latest deployment of each task is what serving must answer with. Only records signed by a trusted evaluator key
 * get this far (see {@link TopicFollower}): anyone able to write to the topics cannot make serving load a file. During the start-up replay only each task's
 * latest deployment is loaded; after it, every new one is, as it arrives.
 */
@Context
public final class DeploymentFollower implements AutoCloseable {

    private final AdapterRegistry registry;
    private final CandidateTrials trials;
    private final ServingMetrics metrics;
    private final DecisionBook decisions;
    private final DashboardHistory history;
    private final Map<String, Deployment> latestDuringReplay = new LinkedHashMap<>();
    private final TopicFollower follower;
    private volatile boolean replayed;
    private volatile boolean ready;

    DeploymentFollower(KafkaConfig kafka, AdapterRegistry registry, CandidateTrials trials, DecisionBook decisions,
                       DashboardHistory history, ServingMetrics metrics, RecordVerifier verifier) {
        this.registry = registry;
        this.trials = trials;
        this.metrics = metrics;
        this.decisions = decisions;
        this.history = history;
        this.follower = new TopicFollower("serving-deployments", kafka.connection(),
                List.of(Topics.PROMOTION_DECISIONS, Topics.DEPLOYMENTS), topic -> null, verifier,
                new TopicFollower.Handler() {
                    @Override
                    public void handle(dev.streamtune.contract.TopicSpec topic, Object value,
                                       java.time.Instant timestamp) {
                        if (value instanceof PromotionDecision decision) {
                            decisions.record(decision);
                        } else if (value instanceof Deployment deployment) {
                            deployed(deployment);
                        }
                    }

                    @Override
                    public void caughtUp() {
                        latestDuringReplay.values().forEach(DeploymentFollower.this::serve);
                        latestDuringReplay.clear();
                        replayed = true;
                    }
                }).start();
    }

    private void deployed(Deployment deployment) {
        history.onDeployment(deployment);
        if (replayed) {
            serve(deployment);
        } else {
            latestDuringReplay.put(deployment.getTask(), deployment);
        }
    }

    /** The champion in the registry; a rollout's candidate (or none) in the trials. */
    private void serve(Deployment deployment) {
        registry.deploy(deployment);
        trials.follow(deployment);
        var trial = deployment.getTrial();
        metrics.rolloutShare(deployment.getTask(), trial != null
                && trial.getStage() == dev.streamtune.schema.RolloutStage.CANARY ? trial.getShare() : 0.0);
    }

    /**
     * Ready once the deployments present at start-up have been read and their adapters loaded (or rejected); stays
     * ready afterwards, since later swaps happen behind the adapter already serving.
     */
    public boolean ready() {
        if (!ready && replayed && registry.pendingLoads() == 0) {
            ready = true;
        }
        return ready;
    }

    public boolean replayed() {
        return replayed;
    }

    public boolean alive() {
        return follower.alive();
    }

    /** The follower's loop and what it skipped, for health. */
    TopicFollower follower() {
        return follower;
    }

    @PreDestroy
    @Override
    public void close() {
        follower.close();
    }
}
