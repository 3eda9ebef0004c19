package dev.streamtune.serving.rollout;

import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.RolloutTrial;
import dev.streamtune.serving.adapter.AdapterRegistry;

/**
 * The candidates on trial, one per task at most: their own adapter registry (loaded, warmed and retired like the
 * champions'), the routes, and the shadow runner. Follows each task's latest deployment: a trial on it loads its
 * candidate (the same artifact again is not reloaded) and routes to it; no trial withdraws it.
 */
public final class CandidateTrials implements AutoCloseable {

    private final AdapterRegistry candidates;
    private final RolloutRoutes routes;
    private final ShadowRunner shadow;

    public CandidateTrials(AdapterRegistry candidates, RolloutRoutes routes, ShadowRunner shadow) {
        this.candidates = candidates;
        this.routes = routes;
        this.shadow = shadow;
    }

    /** The task's latest deployment (the champion's record, with or without a trial). */
    public void follow(Deployment deployment) {
        RolloutTrial trial = deployment.getTrial();
        if (trial == null) {
            routes.update(deployment);
            candidates.withdraw(deployment.getTask());
        } else {
            candidates.deploy(asDeployment(deployment, trial));
            routes.update(deployment);
        }
    }

    /** The candidate as a deployment of its own, to load: the artifact the evaluator approved. */
    static Deployment asDeployment(Deployment champion, RolloutTrial trial) {
        return Deployment.newBuilder().setTask(champion.getTask()).setAdapterId(trial.getCandidateId())
                .setArtifactUri(trial.getArtifactUri()).setArtifactSha256(trial.getArtifactSha256())
                .setBaseModelId(champion.getBaseModelId()).setDecisionId(trial.getApprovalDecisionId())
                .setPreviousAdapterId(champion.getAdapterId()).setDeployedAt(champion.getDeployedAt()).build();
    }

    public AdapterRegistry candidates() {
        return candidates;
    }

    public RolloutRoutes routes() {
        return routes;
    }

    public ShadowRunner shadow() {
        return shadow;
    }

    @Override
    public void close() {
        shadow.close();
        candidates.close();
    }
}
