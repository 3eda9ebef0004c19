package dev.streamtune.evaluator.metrics;

import java.util.Map;

/**
 * One evaluated example: the true label, what the model said, how sure it was, and the example's slice attributes.
 *
 * @param confidence the probability the model gave its predicted label, in [0, 1]
 */
public record ScoredExample(String actual, String predicted, double confidence, Map<String, String> attributes) {

    public ScoredExample {
        if (confidence < 0 || confidence > 1 || Double.isNaN(confidence)) {
            throw new IllegalArgumentException("confidence must be in [0, 1], was " + confidence);
        }
        attributes = Map.copyOf(attributes);
    }

    public boolean correct() {
        return actual.equals(predicted);
    }
}
