package dev.streamtune.evaluator;

import dev.streamtune.evaluator.drift.DriftMonitor;
import dev.streamtune.evaluator.drift.DriftThresholds;
import dev.streamtune.evaluator.gate.GatePolicy;
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
        Drift drift) {

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
    public record Drift(double inputTokenJs, double inputLengthPsi, double labelJs, double predictionJs,
                        long minWindowExamples) {

        public DriftThresholds thresholds() {
            return new DriftThresholds(inputTokenJs, inputLengthPsi, labelJs, predictionJs);
        }
    }
}
