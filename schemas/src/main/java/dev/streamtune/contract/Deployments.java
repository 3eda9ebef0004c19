package dev.streamtune.contract;

import java.time.Instant;

import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.Deployment;

/** How an approved candidate becomes a {@link Deployment} record: the one mapping the evaluator (and the bench) use. */
public final class Deployments {

    private Deployments() {
    }

    /**
     * @param decisionId        the decision that deploys it
     * @param previousAdapterId the adapter it replaces, or null for a task's first
     */
    public static Deployment of(AdapterCandidate candidate, String decisionId, String previousAdapterId,
                                Instant deployedAt) {
        return Deployment.newBuilder()
                .setTask(candidate.getTask())
                .setAdapterId(candidate.getCandidateId())
                .setArtifactUri(candidate.getArtifactUri())
                .setArtifactSha256(candidate.getArtifactSha256())
                .setBaseModelId(candidate.getBaseModelId())
                .setDecisionId(decisionId)
                .setPreviousAdapterId(previousAdapterId)
                .setDeployedAt(deployedAt)
                .setPinned(false)
                .build();
    }
}
