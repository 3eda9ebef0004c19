package dev.streamtune.serving.dashboard;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Everything the drift dashboard draws for one task, oldest point first in every series.
 *
 * @param bucketMillis width of the prediction and feedback buckets
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TaskDashboard(String task, Instant generatedAt, long bucketMillis, List<DriftPoint> drift,
                            List<WindowPoint> windows, List<PredictionBucket> predictions,
                            List<FeedbackBucket> feedback, List<DeploymentPoint> deployments,
                            List<SwapPoint> swaps, @Nullable RolloutNow rollout, List<RolloutBucket> rolloutLive) {

    /** The rollout running now: its candidate beside the champion, stage, share and step. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record RolloutNow(String champion, String candidate, String stage, double share, int step, int steps,
                             Instant stepStartedAt, boolean paused) {
    }

    /**
     * Live comparison in one time bucket: answers users got from the champion and from the canary candidate, the
     * corrections (or 1-2 ratings) on each, and the candidate's shadow answers with how many differ from the
     * champion's on the same text.
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record RolloutBucket(Instant start, long championServed, long championCorrected, long canaryServed,
                                long canaryCorrected, long shadowPairs, long shadowDisagreements) {
    }

    /**
     * One drift report: the evaluator's scores of a closed window against its reference, each test's threshold for
     * that window and adjusted p-value, what explains each score, and the label-free performance estimate.
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record DriftPoint(Instant at, String windowId, @Nullable String referenceWindowId,
                             Map<String, Double> scores, Map<String, Double> thresholds, Map<String, Double> pValues,
                             Map<String, String> evidence, List<String> exceeded, boolean retrainTriggered,
                             @Nullable Double falseAlarmRate, @Nullable PerformancePoint performance) {
    }

    /** The champion on the traffic served during a window: accuracy expected from confidence, and from feedback. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record PerformancePoint(long servedPredictions, @Nullable Double estimatedAccuracy, long judgedByFeedback,
                                   @Nullable Double feedbackAccuracy) {
    }

    /** The label distribution of one closed training window. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record WindowPoint(Instant closedAt, String windowId, long sequence, long examples,
                              Map<String, Long> labels) {
    }

    /** Served predictions in one time bucket, by predicted label. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record PredictionBucket(Instant start, long total, Map<String, Long> labels, double meanConfidence,
                                   double meanLatencyMillis) {
    }

    /**
     * Feedback in one time bucket. A correction is right when it repeats the predicted label; a rating of 4-5 says
     * right and 1-2 wrong; a 3 counts in {@code total} only.
     *
     * @param accuracy right / (right + wrong); null when no feedback judged a prediction
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record FeedbackBucket(Instant start, long total, long right, long wrong, @Nullable Double accuracy) {
    }

    /** A deployment record, joined with the decision that caused it when that is known. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record DeploymentPoint(Instant deployedAt, String adapterId, @Nullable String previousAdapterId,
                                  String decisionId, boolean pinned, @Nullable String verdict,
                                  @Nullable String decidedBy, List<String> reasons,
                                  @Nullable String trialCandidate, @Nullable String trialStage,
                                  @Nullable Double trialShare) {
    }

    /** What this serving process did with a deployment: SWAPPED, REJECTED (with the reason) or SUPERSEDED. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record SwapPoint(Instant at, String adapterId, String outcome, @Nullable String detail) {
    }
}
