package dev.streamtune.evaluator.scoring;

/**
 * What an approximate engine (int8) costs a candidate on its test split: its accuracy as served against the same
 * adapter scored exactly.
 *
 * @param engine         the approximate engine's name, e.g. {@code onnx-int8}
 * @param servedAccuracy accuracy of the answers users will get
 * @param exactAccuracy  accuracy of the adapter as trained (fp32)
 * @param examples       test examples both were scored on
 */
public record QuantisationCost(String engine, double servedAccuracy, double exactAccuracy, long examples) {

    /** Accuracy lost to the approximation (negative when it happened to gain). */
    public double loss() {
        return exactAccuracy - servedAccuracy;
    }
}
