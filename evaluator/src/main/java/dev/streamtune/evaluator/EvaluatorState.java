package dev.streamtune.evaluator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.streamtune.evaluator.drift.DriftMonitor;
import dev.streamtune.evaluator.rollout.LiveEvidence;
import dev.streamtune.evaluator.sets.EvaluationSets;
import dev.streamtune.contract.Deployments;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.DriftReport;
import dev.streamtune.schema.FeedbackEvent;
import dev.streamtune.schema.PredictionLog;
import dev.streamtune.schema.PromotionDecision;
import dev.streamtune.schema.ServingRole;
import dev.streamtune.schema.Verdict;
import dev.streamtune.schema.TrainingWindow;

/**
 * Everything the evaluator knows, as a fold over its input topics and its own output topics. Because decisions and
 * drift reports are folded in too, replaying the topics from the start after a restart rebuilds the state and
 * leaves exactly the unfinished work pending: nothing is judged twice and nothing is skipped.
 *
 * <p>Not thread-safe: owned by the evaluator's consumer thread.
 */
public final class EvaluatorState {

    private final EvaluationSets sets;
    private final DriftMonitor drift;
    private final LiveEvidence live;
    /** Per task, the latest approval that waits for the running rollout to end before its own starts. */
    private final Map<String, PromotionDecision> waitingApprovals = new HashMap<>();
    /** Ids of HELD decisions written: a rollout step is recorded as held once (the id names the step). */
    private final Set<String> heldDecisions = new HashSet<>();
    private final Map<String, TrainingWindow> windows = new HashMap<>();
    private final Map<String, AdapterCandidate> candidates = new HashMap<>();
    private final Map<String, Deployment> deployments = new HashMap<>();
    /** adapter id -> its latest deployment, so a rollback can restore what that adapter had replaced. */
    private final Map<String, Deployment> lastDeploymentOf = new HashMap<>();
    private final Set<String> decidedCandidates = new HashSet<>();
    /** candidate id -> SHA-256 of the artifact the evaluator judged under that id (from its own decisions). */
    private final Map<String, String> judgedArtifacts = new HashMap<>();
    private final Map<String, Instant> pendingCandidates = new LinkedHashMap<>();
    /** Windows a decided candidate was trained on: their drift reports no longer compete with that training. */
    private final Set<String> judgedWindows = new HashSet<>();

    public EvaluatorState(EvaluationSets sets, DriftMonitor drift, LiveEvidence live) {
        this.sets = sets;
        this.drift = drift;
        this.live = live;
    }

    /**
     * Folds one record from any of the evaluator's topics (already verified as signed by its author).
     *
     * @return false when the record was refused: a candidate reusing the id of another candidate (pending or
     *         judged); an id names one artifact forever, so a later record cannot swap the file behind an approval
     */
    public boolean apply(Object record, Instant now) {
        if (record instanceof CleanExample example) {
            sets.add(example);
            drift.onExample(example);
        } else if (record instanceof TrainingWindow window) {
            windows.put(window.getWindowId(), window);
            drift.onWindow(window, now);
        } else if (record instanceof PredictionLog prediction) {
            if (prediction.getRole() != ServingRole.SHADOW) {
                drift.onPrediction(prediction); // shadow answers reached nobody: not served traffic
            }
            live.onPrediction(prediction);
        } else if (record instanceof FeedbackEvent feedback) {
            drift.onFeedback(feedback);
            live.onFeedback(feedback);
        } else if (record instanceof AdapterCandidate candidate) {
            if (reusesId(candidate)) {
                return false;
            }
            candidates.put(candidate.getCandidateId(), candidate);
            if (!decidedCandidates.contains(candidate.getCandidateId())) {
                pendingCandidates.putIfAbsent(candidate.getCandidateId(), now);
            } else {
                judgedWindows.addAll(candidate.getWindowIds());
            }
        } else if (record instanceof PromotionDecision decision) {
            if (decision.getVerdict() == Verdict.HELD) {
                heldDecisions.add(decision.getDecisionId());
            }
            if (decision.getVerdict() == Verdict.APPROVED && decision.getReasons().stream()
                    .anyMatch(r -> r.startsWith(ROLLOUT_WAITS))) {
                waitingApprovals.put(decision.getTask(), decision);
            }
            decidedCandidates.add(decision.getCandidateId());
            pendingCandidates.remove(decision.getCandidateId());
            AdapterCandidate judged = candidates.get(decision.getCandidateId());
            if (judged != null) {
                judgedWindows.addAll(judged.getWindowIds());
            }
            if (decision.getArtifactSha256() != null) {
                judgedArtifacts.putIfAbsent(decision.getCandidateId(), decision.getArtifactSha256());
            }
        } else if (record instanceof DriftReport report) {
            drift.onReport(report);
        } else if (record instanceof Deployment deployment) {
            deployments.put(deployment.getTask(), deployment);
            PromotionDecision waiting = waitingApprovals.get(deployment.getTask());
            if (waiting != null && (waiting.getCandidateId().equals(deployment.getAdapterId())
                    || deployment.getTrial() != null
                    && waiting.getCandidateId().equals(deployment.getTrial().getCandidateId()))) {
                waitingApprovals.remove(deployment.getTask());
            }
            lastDeploymentOf.put(deployment.getAdapterId(), deployment);
        } else if (record != null) {
            throw new IllegalArgumentException("The evaluator does not consume " + record.getClass().getSimpleName());
        }
        return true;
    }

    /** The same record read again (a replay) is no reuse; a different one under a known id is. */
    private boolean reusesId(AdapterCandidate candidate) {
        AdapterCandidate known = candidates.get(candidate.getCandidateId());
        if (known != null) {
            return !known.equals(candidate);
        }
        String judged = judgedArtifacts.get(candidate.getCandidateId());
        return judged != null && !judged.equalsIgnoreCase(candidate.getArtifactSha256());
    }

    /**
     * Drift: which windows await a report and their samples. The caller computes each ready report, publishes it and
     * folds it back in.
     */
    public DriftMonitor drift() {
        return drift;
    }

    /** How an approval's reasons say that it waits for the task's running rollout to end. */
    public static final String ROLLOUT_WAITS = "ROLLOUT waits";

    /**
     * The approval waiting for the task's running rollout to end (the latest one: a newer approval supersedes an
     * older waiting one), or empty.
     */
    public Optional<PromotionDecision> waitingApproval(String task) {
        return Optional.ofNullable(waitingApprovals.get(task));
    }

    /** Every task's waiting approval (a copy: starting one changes the state). */
    public List<PromotionDecision> waitingApprovals() {
        return List.copyOf(waitingApprovals.values());
    }

    /** Live traffic and feedback per adapter, for rollouts. */
    public LiveEvidence live() {
        return live;
    }

    /** Whether a HELD decision with this id (one per rollout step) was written. */
    public boolean held(String decisionId) {
        return heldDecisions.contains(decisionId);
    }

    /** Tasks whose deployment carries a rollout trial. */
    public List<Deployment> trials() {
        return deployments.values().stream().filter(d -> d.getTrial() != null).toList();
    }

    /** Whether a candidate trained on {@code windowId} has been decided. */
    public boolean judgedWindow(String windowId) {
        return judgedWindows.contains(windowId);
    }

    /**
     * The oldest undecided candidate whose windows' test examples have all arrived, or that has waited longer than
     * {@code patience} (examples.clean partitions can lag the manifest; past that we judge on what we have).
     */
    public Optional<AdapterCandidate> nextCandidate(Instant now, Duration patience) {
        for (var pending : pendingCandidates.entrySet()) {
            AdapterCandidate candidate = candidates.get(pending.getKey());
            boolean waitedEnough = Duration.between(pending.getValue(), now).compareTo(patience) >= 0;
            if (waitedEnough || testExamplesComplete(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public boolean testExamplesComplete(AdapterCandidate candidate) {
        for (String windowId : candidate.getWindowIds()) {
            TrainingWindow window = windows.get(windowId);
            if (window == null || sets.testCount(candidate.getTask(), windowId) < window.getTestCount()) {
                return false;
            }
        }
        return true;
    }

    /** Labels seen in the candidate's windows, for choosing the positive label of slice metrics. */
    public Set<String> labels(AdapterCandidate candidate) {
        Set<String> labels = new HashSet<>();
        candidate.getWindowIds().stream().map(windows::get).filter(w -> w != null)
                .forEach(w -> labels.addAll(w.getLabelHistogram().keySet()));
        return labels;
    }

    /**
     * Labels of the task's windows up to and including the latest of {@code windowIds}: what an adapter trained on
     * those windows, starting from its predecessors and replaying their examples, has seen. The fallback for adapter
     * files that do not record their learned labels.
     */
    public Set<String> labelsOfWindowsUpTo(String task, List<String> windowIds) {
        long last = windowIds.stream().map(windows::get).filter(w -> w != null).mapToLong(TrainingWindow::getSequence)
                .max().orElse(-1);
        Set<String> labels = new HashSet<>();
        windows.values().stream().filter(w -> w.getTask().equals(task) && w.getSequence() <= last)
                .forEach(w -> w.getLabelHistogram().forEach((label, count) -> {
                    if (count > 0) {
                        labels.add(label);
                    }
                }));
        return labels;
    }

    public Optional<Deployment> deployment(String task) {
        return Optional.ofNullable(deployments.get(task));
    }

    public Optional<AdapterCandidate> candidate(String candidateId) {
        return Optional.ofNullable(candidates.get(candidateId));
    }

    public EvaluationSets sets() {
        return sets;
    }

    /** The deployment that makes {@code candidate} current, remembering what it replaces. */
    public Deployment promotion(AdapterCandidate candidate, String decisionId, Instant now) {
        return Deployments.of(candidate, decisionId,
                deployment(candidate.getTask()).map(Deployment::getAdapterId).orElse(null), now);
    }

    /**
     * The deployment that puts back the adapter the current one replaced, with the artifact (URI and SHA-256) of
     * the evaluator's own earlier deployment of it, never what a candidate record says. Its own predecessor
     * becomes the next rollback target, so repeated rollbacks walk back through history.
     */
    public Deployment rollback(String task, String decisionId, Instant now) {
        Deployment current = deployment(task)
                .orElseThrow(() -> new IllegalStateException("Nothing is deployed for task " + task));
        String previous = current.getPreviousAdapterId();
        if (previous == null) {
            throw new IllegalStateException("Adapter " + current.getAdapterId() + " is the first one for task " + task
                    + "; there is nothing to roll back to");
        }
        Deployment targetsLast = lastDeploymentOf.get(previous);
        if (targetsLast == null) {
            throw new IllegalStateException("Adapter " + previous + " has no recorded deployment to restore");
        }
        return Deployments.redeploy(targetsLast, decisionId, targetsLast.getPreviousAdapterId(), now);
    }
}
