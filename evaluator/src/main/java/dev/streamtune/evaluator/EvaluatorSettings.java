package dev.streamtune.evaluator;

import java.time.Duration;
import java.util.List;

import dev.streamtune.evaluator.drift.DriftMonitor;
import dev.streamtune.evaluator.drift.DriftPolicy;
import dev.streamtune.evaluator.drift.RetrainPolicy;
import dev.streamtune.evaluator.gate.GatePolicy;
import dev.streamtune.evaluator.rollout.RolloutPolicy;
import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * The evaluator's configuration, bound from {@code application.yml} (where every default lives and is explained)
 * and overridable by environment variables.
 *
 * Tasks to provision into the catalogue at first start are {@code evaluator.tasks.*} ({@link
 * dev.streamtune.evaluator.catalogue.ConfiguredTask}); each task's positive label and gate overrides come from the
 * catalogue.
 *
 * @param adminToken bearer token for the task and override endpoints; blank disables them
 */
@ConfigurationProperties("evaluator")
public record EvaluatorSettings(
        String adminToken,
        int retentionSize,
        int canarySize,
        int maxWindows,
        int minSliceSize,
        long candidateWaitSeconds,
        DriftMonitor.Reference driftReference,
        Gate gate,
        Rollout rollout,
        Drift drift) {

    /** How approved candidates reach all traffic ({@link RolloutPolicy}); {@code evidenceRetention} bounds memory. */
    @ConfigurationProperties("rollout")
    public record Rollout(double firstShare, double stepFactor, double shadowShare, int shadowMinPairs,
                          double shadowMaxDisagreement, int minServed, Duration minStepDuration,
                          double maxErrorIncrease, double significance, double maxLatencyIncrease,
                          int minLatencySamples, Duration evidenceRetention) {

        public RolloutPolicy policy() {
            return new RolloutPolicy(firstShare, stepFactor, shadowShare, shadowMinPairs, shadowMaxDisagreement,
                    minServed, minStepDuration, maxErrorIncrease, significance, maxLatencyIncrease,
                    minLatencySamples);
        }
    }

    @ConfigurationProperties("gate")
    public record Gate(int minTestExamples, double maxQualityDrop, double minQualityGain, double maxRetentionDrop,
                       double maxBiasWidening, double maxAccuracyGap, double maxCalibrationWorsening,
                       double maxCanaryDisagreement, double maxQuantisationLoss) {

        public GatePolicy policy() {
            return new GatePolicy(minTestExamples, maxQualityDrop, minQualityGain, maxRetentionDrop, maxBiasWidening,
                    maxAccuracyGap, maxCalibrationWorsening, maxCanaryDisagreement, maxQuantisationLoss);
        }
    }

    @ConfigurationProperties("drift")
    public record Drift(double falseAlarmRate, int permutations, int sampleSize, long minWindowExamples,
                        int minSliceExamples, int maxSlices, int minServedPredictions, double minDomainAuc,
                        double minConfidenceDrop, List<String> retrainOn, Duration waitForTraining) {

        public DriftPolicy policy() {
            return new DriftPolicy(falseAlarmRate, permutations, sampleSize, minWindowExamples, minSliceExamples,
                    maxSlices, minServedPredictions, minDomainAuc, minConfidenceDrop);
        }

        public RetrainPolicy retrainPolicy() {
            return new RetrainPolicy(retrainOn == null ? List.of() : retrainOn);
        }
    }
}
