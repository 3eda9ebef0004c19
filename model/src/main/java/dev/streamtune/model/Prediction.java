package dev.streamtune.model;

import java.util.Arrays;
import java.util.List;

/**
 * Label probabilities for one text.
 *
 * @param labels the classifier's labels
 * @param probabilities softmax probabilities, aligned with {@code labels}
 */
public record Prediction(List<String> labels, float[] probabilities) {

    public Prediction {
        labels = List.copyOf(labels);
        probabilities = probabilities.clone();
        if (labels.size() != probabilities.length) {
            throw new IllegalArgumentException(labels.size() + " labels but " + probabilities.length + " probabilities");
        }
    }

    @Override
    public float[] probabilities() {
        return probabilities.clone();
    }

    /**
     * Each label's probability, in head order: what the API answers, the prediction log records and the annotation
     * selector reads.
     */
    public java.util.Map<String, Double> byLabel() {
        java.util.Map<String, Double> byLabel = new java.util.LinkedHashMap<>();
        for (int i = 0; i < probabilities.length; i++) {
            byLabel.put(labels.get(i), (double) probabilities[i]);
        }
        return byLabel;
    }

    /** The most probable label. */
    public String label() {
        return labels.get(argMax());
    }

    /** Probability of the most probable label. */
    public float confidence() {
        return probabilities[argMax()];
    }

    /** False when any probability is NaN or infinite (overflowing weights): such a prediction is no answer. */
    public boolean isFinite() {
        for (float p : probabilities) {
            if (!Float.isFinite(p)) {
                return false;
            }
        }
        return true;
    }

    public float probability(String label) {
        int i = labels.indexOf(label);
        if (i < 0) {
            throw new IllegalArgumentException("unknown label " + label);
        }
        return probabilities[i];
    }

    private int argMax() {
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) {
            if (probabilities[i] > probabilities[best]) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prediction p && labels.equals(p.labels) && Arrays.equals(probabilities, p.probabilities);
    }

    @Override
    public int hashCode() {
        return 31 * labels.hashCode() + Arrays.hashCode(probabilities);
    }

    @Override
    public String toString() {
        return "Prediction[" + label() + " " + confidence() + "]";
    }
}
