package dev.streamtune.evaluator.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import dev.streamtune.model.StandardNormal;
import dev.streamtune.schema.RolloutStage;
import dev.streamtune.schema.RolloutTrial;

/**
 * Judges a rollout's current step on live evidence: advance, hold, or roll back, with the reason in words.
 *
 * <p>Canary: the share of each model's answers that users corrected (or rated 1-2) is compared with two one-sided
 * tests at the policy's significance. Worse: Fisher's exact test of candidate above champion (exact at the small
 * counts a step starts with, where a z-test rolled a candidate back on one correction); it rolls back. Not worse
 * by more than the margin: the upper confidence bound of the difference (Agresti-Caffo: one right and one wrong
 * answer added to each side, so a bound exists at zero corrections) below {@code maxErrorIncrease}; it advances.
 * Between the two, the step holds until more answers arrive. Both need {@code minServed} answers of each model and
 * {@code minStepDuration}, so a step is never judged on its first seconds. Latency: the candidate's p99 above the
 * champion's by more than {@code maxLatencyIncrease} rolls back.
 *
 * <p>Shadow: the candidate's answers on the same texts as the champion's; once {@code shadowMinPairs} pairs are in,
 * a disagreement above {@code shadowMaxDisagreement} rolls back, otherwise the canary starts. Its latency is judged
 * as the canary's.
 */
public final class RolloutJudge {

    public enum Action { ADVANCE, HOLD, ROLL_BACK }

    /** What to do with a step, and why. */
    public record Call(Action action, String reason) {
    }

    private final RolloutPolicy policy;

    public RolloutJudge(RolloutPolicy policy) {
        this.policy = policy;
    }

    public Call judge(RolloutTrial trial, String championId, LiveEvidence evidence, Instant now) {
        Instant since = trial.getStepStartedAt();
        Duration elapsed = Duration.between(since, now);
        if (trial.getStage() == RolloutStage.SHADOW) {
            return shadow(evidence.shadow(trial.getCandidateId(), since));
        }
        LiveEvidence.Arm candidate = evidence.arm(trial.getCandidateId(), since);
        LiveEvidence.Arm champion = evidence.arm(championId, since);
        String where = String.format(Locale.ROOT, "canary %s (step %d of %d)", percent(trial.getShare()),
                trial.getStep(), trial.getSteps());
        String counts = String.format(Locale.ROOT, "candidate corrected on %d of %d answers (%s), champion on %d "
                        + "of %d (%s)", candidate.wrong(), candidate.served(), percent(candidate.wrongShare()),
                champion.wrong(), champion.served(), percent(champion.wrongShare()));
        if (candidate.served() >= policy.minServed() && champion.served() >= policy.minServed()) {
            double pWorse = pValueWorse(candidate, champion);
            if (pWorse < policy.significance()) {
                return new Call(Action.ROLL_BACK, String.format(Locale.ROOT, "%s: %s; worse with p %.4f < %s",
                        where, counts, pWorse, policy.significance()));
            }
        }
        String latency = latency(candidate.latency(), champion.latency());
        if (latency != null) {
            return new Call(Action.ROLL_BACK, where + ": " + latency);
        }
        if (elapsed.compareTo(policy.minStepDuration()) < 0) {
            return new Call(Action.HOLD, String.format(Locale.ROOT, "%s: %d s of at least %d s; %s", where,
                    elapsed.toSeconds(), policy.minStepDuration().toSeconds(), counts));
        }
        if (candidate.served() < policy.minServed() || champion.served() < policy.minServed()) {
            return new Call(Action.HOLD, String.format(Locale.ROOT, "%s: waiting for %d answers of each; %s", where,
                    policy.minServed(), counts));
        }
        double upper = upperBoundOfIncrease(candidate, champion);
        if (upper < policy.maxErrorIncrease()) {
            return new Call(Action.ADVANCE, String.format(Locale.ROOT,
                    "%s: %s; increase at most %+.3f at %d%% confidence, within %s", where, counts, upper,
                    Math.round(100 * (1 - policy.significance())), policy.maxErrorIncrease()));
        }
        return new Call(Action.HOLD, String.format(Locale.ROOT,
                "%s: %s; increase up to %+.3f not yet within %s: more answers needed", where, counts, upper,
                policy.maxErrorIncrease()));
    }

    private Call shadow(LiveEvidence.Shadow shadow) {
        String counts = String.format(Locale.ROOT, "candidate disagrees with the champion on %d of %d live texts "
                        + "(%s), confidence %+.3f, p99 %.1f vs %.1f ms", shadow.disagreements(), shadow.pairs(),
                percent(shadow.disagreement()), shadow.meanConfidenceShift(),
                shadow.candidate().quantileMicros(0.99) / 1000.0, shadow.champion().quantileMicros(0.99) / 1000.0);
        if (shadow.pairs() < policy.shadowMinPairs()) {
            return new Call(Action.HOLD, String.format(Locale.ROOT, "shadow: %s; waiting for %d", counts,
                    policy.shadowMinPairs()));
        }
        if (shadow.disagreement() > policy.shadowMaxDisagreement()) {
            return new Call(Action.ROLL_BACK, String.format(Locale.ROOT, "shadow: %s, above %s", counts,
                    percent(policy.shadowMaxDisagreement())));
        }
        String latency = latency(shadow.candidate(), shadow.champion());
        if (latency != null) {
            return new Call(Action.ROLL_BACK, "shadow: " + latency);
        }
        return new Call(Action.ADVANCE, String.format(Locale.ROOT, "shadow: %s, within %s", counts,
                percent(policy.shadowMaxDisagreement())));
    }

    /** A reason to roll back for latency, or null. */
    private String latency(LatencyHistogram candidate, LatencyHistogram champion) {
        if (candidate.count() < policy.minLatencySamples() || champion.count() < policy.minLatencySamples()) {
            return null;
        }
        long c = candidate.quantileMicros(0.99);
        long b = champion.quantileMicros(0.99);
        if (c > b * (1 + policy.maxLatencyIncrease())) {
            return String.format(Locale.ROOT, "p99 latency %.1f ms vs the champion's %.1f ms, more than %s above",
                    c / 1000.0, b / 1000.0, percent(policy.maxLatencyIncrease()));
        }
        return null;
    }

    /** One-sided p-value that the candidate's corrected share is above the champion's (Fisher's exact test). */
    static double pValueWorse(LiveEvidence.Arm candidate, LiveEvidence.Arm champion) {
        return FisherExact.pValueFirstHigher(Math.min(candidate.wrong(), candidate.served()), candidate.served(),
                Math.min(champion.wrong(), champion.served()), champion.served());
    }

    /** Upper one-sided confidence bound of (candidate - champion) corrected share, Agresti-Caffo. */
    double upperBoundOfIncrease(LiveEvidence.Arm candidate, LiveEvidence.Arm champion) {
        double n1 = candidate.served() + 2;
        double n0 = champion.served() + 2;
        double p1 = (candidate.wrong() + 1) / n1;
        double p0 = (champion.wrong() + 1) / n0;
        double se = Math.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0);
        return p1 - p0 + StandardNormal.quantile(1 - policy.significance()) * se;
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * share);
    }
}
