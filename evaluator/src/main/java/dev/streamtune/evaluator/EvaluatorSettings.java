package dev.streamtune.evaluator;

import java.util.Map;

import dev.streamtune.evaluator.drift.DriftMonitor;
import dev.streamtune.evaluator.drift.DriftThresholds;
import dev.streamtune.evaluator.gate.GatePolicy;
import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * The evaluator's configuration, bound from {@code application.yml} (where every default lives and is explained)
 * and overridable by environment variables.
 *
 * @param adminToken     bearer token for the manual override endpoints; blank disables them
 * @param positiveLabels task -> label whose rates slice and bias metrics report (default: last label seen, sorted)
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
        Map<String, String> positiveLabels,
        Gate gate,
        Drift drift) {

    @ConfigurationProperties("gate")
    public record Gate(int minTestExamples, double maxQualityDrop, double minQualityGain, double maxRetentionDrop,
                       double maxBiasWidening, double maxAccuracyGap, double maxCalibrationWorsening,
                       double maxCanaryDisagreement) {

        public GatePolicy policy() {
            return new GatePolicy(minTestExamples, maxQualityDrop, minQualityGain, maxRetentionDrop, maxBiasWidening,
                    maxAccuracyGap, maxCalibrationWorsening, maxCanaryDisagreement);
        }
    }

    @ConfigurationProperties("drift")
    public record Drift(double inputTokenJs, double inputLengthPsi, double labelJs, double predictionJs,
                        long minWindowExamples) {

        public DriftThresholds thresholds() {
            return new DriftThresholds(inputTokenJs, inputLengthPsi, labelJs, predictionJs);
        }
    }

    public String positiveLabel(String task, java.util.Collection<String> labels) {
        String configured = positiveLabels == null ? null : positiveLabels.get(task);
        return configured != null ? configured : labels.stream().sorted().reduce((a, b) -> b).orElse("");
    }
}
