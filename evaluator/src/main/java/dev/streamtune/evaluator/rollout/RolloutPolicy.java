package dev.streamtune.evaluator.rollout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.streamtune.contract.TaskOverrides;

/**
 * How an approved candidate reaches all traffic when a champion is already serving: first in shadow (optional),
 * then a canary on a growing share of request keys, judged at each step on live feedback.
 *
 * @param firstShare           the first canary step's share of request keys; 0 turns canaries off (an approval
 *                             deploys at once, as without a rollout)
 * @param stepFactor           each next step multiplies the share by this, until 100% (0.05 and 5: 5%, 25%, 100%)
 * @param shadowShare          share of requests the candidate also answers in shadow, unseen
 * @param shadowMinPairs       shadow evidence required before the canary: this many (champion, candidate) answer
 *                             pairs; 0 skips the shadow stage
 * @param shadowMaxDisagreement the candidate may disagree with the champion on at most this share of shadow pairs
 * @param minServed            answers of each model a canary step needs before it is judged
 * @param minStepDuration      a step lasts at least this long, so feedback that arrives later counts
 * @param maxErrorIncrease     non-inferiority margin: a step advances when the candidate's corrected share is shown
 *                             (at 1 - significance) to exceed the champion's by less than this
 * @param significance         one-sided level of both tests: "worse" (roll back) and "not worse by the margin"
 * @param maxLatencyIncrease   the candidate's p99 may exceed the champion's by this fraction (1.0: twice)
 * @param minLatencySamples    answers of each model before latency is judged
 */
public record RolloutPolicy(double firstShare, double stepFactor, double shadowShare, int shadowMinPairs,
                            double shadowMaxDisagreement, int minServed, Duration minStepDuration,
                            double maxErrorIncrease, double significance, double maxLatencyIncrease,
                            int minLatencySamples) {

    public RolloutPolicy {
        requireShare("first-share", firstShare, true);
        requireShare("shadow-share", shadowShare, true);
        requireShare("shadow-max-disagreement", shadowMaxDisagreement, true);
        if (firstShare > 0 && firstShare < 1 && !(stepFactor > 1)) {
            throw new IllegalArgumentException("rollout step-factor must be above 1 to reach 100%, got " + stepFactor);
        }
        if (shadowMinPairs > 0 && shadowShare <= 0) {
            throw new IllegalArgumentException("rollout shadow-min-pairs " + shadowMinPairs
                    + " needs a shadow-share above 0");
        }
        if (shadowMinPairs < 0 || minServed < 1 || minLatencySamples < 1) {
            throw new IllegalArgumentException("rollout counts: shadow-min-pairs >= 0, min-served and "
                    + "min-latency-samples >= 1");
        }
        if (!(significance > 0 && significance < 0.5)) {
            throw new IllegalArgumentException("rollout significance must be in (0, 0.5), got " + significance);
        }
        if (!(maxErrorIncrease >= 0) || !(maxLatencyIncrease >= 0) || minStepDuration.isNegative()) {
            throw new IllegalArgumentException("rollout max-error-increase, max-latency-increase and "
                    + "min-step-duration must not be negative");
        }
    }

    private static void requireShare(String name, double value, boolean zeroAllowed) {
        if (!(value >= 0 && value <= 1) || (!zeroAllowed && value == 0)) {
            throw new IllegalArgumentException("rollout " + name + " must be a share in [0, 1], got " + value);
        }
    }

    /** Whether an approval over a serving champion starts a rollout instead of deploying at once. */
    public boolean stagesAnything() {
        return firstShare > 0 || shadowMinPairs > 0;
    }

    public boolean shadowFirst() {
        return shadowMinPairs > 0;
    }

    /** The canary shares, the last 1.0; empty when canaries are off. */
    public List<Double> steps() {
        List<Double> steps = new ArrayList<>();
        if (firstShare <= 0) {
            return steps;
        }
        for (double share = firstShare; share < 1 - 1e-9; share *= stepFactor) {
            steps.add(share);
        }
        steps.add(1.0);
        return steps;
    }

    /**
     * This policy with a task's overrides (its definition's gate overrides whose keys are in
     * {@link TaskOverrides#ROLLOUT}; others are the gate's).
     */
    public RolloutPolicy withOverrides(Map<String, Double> overrides) {
        double first = firstShare;
        double factor = stepFactor;
        double shadow = shadowShare;
        int pairs = shadowMinPairs;
        int served = minServed;
        double margin = maxErrorIncrease;
        for (Map.Entry<String, Double> override : overrides.entrySet()) {
            double v = override.getValue();
            switch (override.getKey()) {
                case "rollout-first-share" -> first = v;
                case "rollout-step-factor" -> factor = v;
                case "rollout-shadow-share" -> shadow = v;
                case "rollout-shadow-min-pairs" -> pairs = (int) Math.round(v);
                case "rollout-min-served" -> served = (int) Math.round(v);
                case "rollout-max-error-increase" -> margin = v;
                default -> {
                    // a gate threshold
                }
            }
        }
        return new RolloutPolicy(first, factor, shadow, pairs, shadowMaxDisagreement, served, minStepDuration,
                margin, significance, maxLatencyIncrease, minLatencySamples);
    }
}
