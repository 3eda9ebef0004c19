package dev.streamtune.model;

import java.util.Objects;

/** A training example: a text and its label (one of the classifier's labels). */
public record LabeledText(String text, String label) {

    public LabeledText {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(label, "label");
    }
}
