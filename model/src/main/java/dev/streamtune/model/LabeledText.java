package dev.streamtune.model;

import java.util.Objects;

/**
 * A training example: a text, its label (one of the classifier's labels) and its weight in the loss.
 *
 * @param weight how much the example counts: a batch's loss is the weighted mean of its examples' cross-entropy,
 *               so an example of weight 2 counts as much as two copies of it at weight 1. Positive and finite.
 */
public record LabeledText(String text, String label, double weight) {

    public LabeledText {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(label, "label");
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight must be positive and finite, not " + weight);
        }
    }

    /** An example of weight 1. */
    public LabeledText(String text, String label) {
        this(text, label, 1.0);
    }
}
