package dev.streamtune.evaluator.drift;

import java.util.Map;

/**
 * One text in a drift sample: a window's example (its label, slice attributes) or a served prediction (its predicted
 * label and the probability of it).
 *
 * @param key        what the sample is drawn by: the example's content hash, the prediction's request id
 * @param confidence probability of the predicted label for a served prediction; NaN for an example
 */
public record DriftItem(String key, String text, String label, Map<String, String> attributes, double confidence) {

    public static DriftItem example(String contentHash, String text, String label, Map<String, String> attributes) {
        return new DriftItem(contentHash, text, label, Map.copyOf(attributes), Double.NaN);
    }

    public static DriftItem served(String requestId, String text, String predictedLabel, double confidence) {
        return new DriftItem(requestId, text, predictedLabel, Map.of(), confidence);
    }
}
