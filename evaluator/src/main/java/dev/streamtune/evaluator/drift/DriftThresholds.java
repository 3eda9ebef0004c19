package dev.streamtune.evaluator.drift;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Score limits above which a window counts as drifted. Defaults: PSI 0.25 is the conventional "major shift";
 * JS distances of 0.3 sit well above the sampling noise between two windows of a few hundred examples drawn from
 * one distribution (about 0.1 to 0.2 for top-token histograms).
 */
public record DriftThresholds(double inputTokenJs, double inputLengthPsi, double labelJs, double predictionJs) {

    public static final String INPUT_TOKEN_JS = "input.token.js";
    public static final String INPUT_LENGTH_PSI = "input.length.psi";
    public static final String LABEL_JS = "label.js";
    public static final String PREDICTION_JS = "prediction.js";

    public static DriftThresholds defaults() {
        return new DriftThresholds(0.3, 0.25, 0.3, 0.3);
    }

    public Map<String, Double> asMap() {
        Map<String, Double> map = new LinkedHashMap<>();
        map.put(INPUT_TOKEN_JS, inputTokenJs);
        map.put(INPUT_LENGTH_PSI, inputLengthPsi);
        map.put(LABEL_JS, labelJs);
        map.put(PREDICTION_JS, predictionJs);
        return map;
    }
}
