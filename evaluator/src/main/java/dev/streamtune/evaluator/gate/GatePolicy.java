package dev.streamtune.evaluator.gate;

/**
 * What a candidate must show to replace the champion. All quantities are absolute differences of rates in [0, 1].
 *
 * @param minTestExamples         fewer test examples than this is not evidence enough to promote anything
 * @param maxQualityDrop          when no gain is required: candidate macro-F1 may trail the champion's by at most this
 * @param minQualityGain          when above 0: candidate macro-F1 must beat the champion's by at least this
 * @param maxRetentionDrop        accuracy on earlier windows may fall by at most this (forgetting)
 * @param maxBiasWidening         a slice attribute's accuracy gap or equalized-odds gap may widen by at most this
 * @param maxAccuracyGap          absolute cap on a slice accuracy gap, unless the champion was already worse
 * @param maxCalibrationWorsening candidate ECE may exceed the champion's by at most this
 * @param maxCanaryDisagreement   share of the canary set where candidate and champion may disagree
 */
public record GatePolicy(int minTestExamples, double maxQualityDrop, double minQualityGain, double maxRetentionDrop,
                         double maxBiasWidening, double maxAccuracyGap, double maxCalibrationWorsening,
                         double maxCanaryDisagreement) {

    public static GatePolicy defaults() {
        return new GatePolicy(20, 0.01, 0.0, 0.02, 0.05, 0.15, 0.05, 0.25);
    }
}
