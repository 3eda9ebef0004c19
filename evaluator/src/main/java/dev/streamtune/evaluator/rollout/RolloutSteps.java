package dev.streamtune.evaluator.rollout;

import java.time.Instant;
import java.util.List;

import dev.streamtune.contract.Deployments;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.RolloutStage;
import dev.streamtune.schema.RolloutTrial;

/**
 * The deployment record each rollout step makes: the champion's deployment with the candidate's trial on it while
 * the rollout runs, the candidate's own deployment when it reaches 100%, the champion's without a trial when the
 * rollout ends otherwise. Serving follows these records; nothing else tells it about a rollout.
 */
public final class RolloutSteps {

    private RolloutSteps() {
    }

    /**
     * The first stage of {@code candidate}'s rollout beside {@code champion}: shadow when the policy requires shadow
     * evidence, else the first canary step. The artifact is the approved one (the decision records it).
     */
    public static Deployment start(Deployment champion, AdapterCandidate candidate, String approvalDecisionId,
                                   RolloutPolicy policy, Instant now) {
        List<Double> steps = policy.steps();
        RolloutTrial.Builder trial = RolloutTrial.newBuilder().setCandidateId(candidate.getCandidateId())
                .setArtifactUri(candidate.getArtifactUri()).setArtifactSha256(candidate.getArtifactSha256())
                .setSteps(steps.size()).setStepStartedAt(now).setApprovalDecisionId(approvalDecisionId);
        if (policy.shadowFirst()) {
            trial.setStage(RolloutStage.SHADOW).setShare(policy.shadowShare()).setStep(0);
        } else {
            trial.setStage(RolloutStage.CANARY).setShare(steps.get(0)).setStep(1);
        }
        return Deployment.newBuilder(champion).setTrial(trial.build()).setDecisionId(approvalDecisionId)
                .setDeployedAt(now).build();
    }

    /**
     * The next step after the current one: shadow to the first canary step, a canary step to the next; the step
     * that would reach 100% (or the end of shadow with canaries off) makes the candidate the champion.
     */
    public static Deployment next(Deployment current, AdapterCandidate candidate, RolloutPolicy policy,
                                  String decisionId, Instant now) {
        RolloutTrial trial = current.getTrial();
        List<Double> steps = policy.steps();
        int nextStep = trial.getStep() + 1; // 1-based, shadow is 0
        if (nextStep > steps.size() || steps.get(nextStep - 1) >= 1.0) {
            return promote(current, candidate, decisionId, now);
        }
        RolloutTrial next = RolloutTrial.newBuilder(trial).setStage(RolloutStage.CANARY)
                .setShare(steps.get(nextStep - 1)).setStep(nextStep).setSteps(steps.size()).setStepStartedAt(now)
                .build();
        return Deployment.newBuilder(current).setTrial(next).setDecisionId(decisionId).setDeployedAt(now).build();
    }

    /** The candidate answers everything: its own deployment, replacing the champion. */
    public static Deployment promote(Deployment current, AdapterCandidate candidate, String decisionId,
                                     Instant now) {
        return Deployments.of(candidate, decisionId, current.getAdapterId(), now);
    }

    /** The rollout ends without the candidate: the champion answers everything again. */
    public static Deployment abort(Deployment current, String decisionId, Instant now) {
        return Deployment.newBuilder(current).setTrial(null).setDecisionId(decisionId).setDeployedAt(now).build();
    }
}
