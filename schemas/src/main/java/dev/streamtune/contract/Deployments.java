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

    /**
     * A rollback: the adapter of an earlier deployment, exactly as that (signed) record named it (URI and
     * SHA-256), never as some candidate record with the same id says.
     *
     * @param previousAdapterId what the new deployment replaces in the history (the earlier one's predecessor)
     */
    public static Deployment redeploy(Deployment earlier, String decisionId, String previousAdapterId,
                                      Instant deployedAt) {
        return Deployment.newBuilder()
                .setTask(earlier.getTask())
                .setAdapterId(earlier.getAdapterId())
                .setArtifactUri(earlier.getArtifactUri())
                .setArtifactSha256(earlier.getArtifactSha256())
                .setBaseModelId(earlier.getBaseModelId())
                .setDecisionId(decisionId)
                .setPreviousAdapterId(previousAdapterId)
                .setDeployedAt(deployedAt)
                .setPinned(false)
                .build();
    }
}
