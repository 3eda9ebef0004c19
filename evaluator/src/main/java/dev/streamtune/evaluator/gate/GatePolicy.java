package dev.streamtune.evaluator.gate;

import java.util.Map;

import dev.streamtune.contract.TaskOverrides;

/**
 * What a candidate must show to replace the champion. All quantities are absolute differences of rates in [0, 1].
 *
 * @param minTestExamples         fewer test examples than this is not evidence enough to promote anything
 * @param maxQualityDrop          when no gain is required: candidate macro-F1 may trail the champion's by at most this
 * @param minQualityGain          when above 0: candidate macro-F1 must beat the champion's by at least this
 * @param maxRetentionDrop        accuracy on earlier windows may fall by at most this (forgetting)
 * @param maxBiasWidening         a slice attribute's accuracy gap, or the equalized-odds gap of any one label, may widen
 *                                by at most this
 * @param maxAccuracyGap          absolute cap on a slice accuracy gap, unless the champion was already worse
 * @param maxCalibrationWorsening candidate ECE may exceed the champion's by at most this
 * @param maxCanaryDisagreement   share of the canary set where candidate and champion may disagree
 * @param maxQuantisationLoss     on an approximate serving engine (int8): test accuracy it may lose against the same
 *                                adapter scored exactly
 */
public record GatePolicy(int minTestExamples, double maxQualityDrop, double minQualityGain, double maxRetentionDrop,
                         double maxBiasWidening, double maxAccuracyGap, double maxCalibrationWorsening,
                         double maxCanaryDisagreement, double maxQuantisationLoss) {

    public static GatePolicy defaults() {
        return new GatePolicy(20, 0.01, 0.0, 0.02, 0.05, 0.15, 0.05, 0.25, 0.005);
    }

    /**
     * This policy with a task's overrides applied, by their {@code evaluator.gate} key (the keys of
     * {@link TaskOverrides#GATE}; the catalogue's writer refuses any other, so an unknown one here is a bug).
     */
    public GatePolicy withOverrides(Map<String, Double> overrides) {
        GatePolicy policy = this;
        for (Map.Entry<String, Double> override : overrides.entrySet()) {
            if (TaskOverrides.ROLLOUT.contains(override.getKey())) {
                continue; // the rollout's, read by RolloutPolicy
            }
            double v = override.getValue();
            GatePolicy p = policy;
            policy = switch (override.getKey()) {
                case "min-test-examples" -> new GatePolicy((int) Math.round(v), p.maxQualityDrop, p.minQualityGain,
                        p.maxRetentionDrop, p.maxBiasWidening, p.maxAccuracyGap, p.maxCalibrationWorsening,
                        p.maxCanaryDisagreement, p.maxQuantisationLoss);
                case "max-quality-drop" -> new GatePolicy(p.minTestExamples, v, p.minQualityGain, p.maxRetentionDrop,
                        p.maxBiasWidening, p.maxAccuracyGap, p.maxCalibrationWorsening, p.maxCanaryDisagreement,
                        p.maxQuantisationLoss);
                case "min-quality-gain" -> new GatePolicy(p.minTestExamples, p.maxQualityDrop, v, p.maxRetentionDrop,
                        p.maxBiasWidening, p.maxAccuracyGap, p.maxCalibrationWorsening, p.maxCanaryDisagreement,
                        p.maxQuantisationLoss);
                case "max-retention-drop" -> new GatePolicy(p.minTestExamples, p.maxQualityDrop, p.minQualityGain, v,
                        p.maxBiasWidening, p.maxAccuracyGap, p.maxCalibrationWorsening, p.maxCanaryDisagreement,
                        p.maxQuantisationLoss);
                case "max-bias-widening" -> new GatePolicy(p.minTestExamples, p.maxQualityDrop, p.minQualityGain,
                        p.maxRetentionDrop, v, p.maxAccuracyGap, p.maxCalibrationWorsening, p.maxCanaryDisagreement,
                        p.maxQuantisationLoss);
                case "max-accuracy-gap" -> new GatePolicy(p.minTestExamples, p.maxQualityDrop, p.minQualityGain,
                        p.maxRetentionDrop, p.maxBiasWidening, v, p.maxCalibrationWorsening, p.maxCanaryDisagreement,
                        p.maxQuantisationLoss);
                case "max-calibration-worsening" -> new GatePolicy(p.minTestExamples, p.maxQualityDrop,
                        p.minQualityGain, p.maxRetentionDrop, p.maxBiasWidening, p.maxAccuracyGap, v,
                        p.maxCanaryDisagreement, p.maxQuantisationLoss);
                case "max-canary-disagreement" -> new GatePolicy(p.minTestExamples, p.maxQualityDrop,
                        p.minQualityGain, p.maxRetentionDrop, p.maxBiasWidening, p.maxAccuracyGap,
                        p.maxCalibrationWorsening, v, p.maxQuantisationLoss);
                case "max-quantisation-loss" -> new GatePolicy(p.minTestExamples, p.maxQualityDrop,
                        p.minQualityGain, p.maxRetentionDrop, p.maxBiasWidening, p.maxAccuracyGap,
                        p.maxCalibrationWorsening, p.maxCanaryDisagreement, v);
                default -> throw new IllegalArgumentException("not a gate override: " + override.getKey()
                        + "; known: " + TaskOverrides.GATE);
            };
        }
        return policy;
    }
}
