package dev.streamtune.model;

import java.util.List;
import java.util.Map;

/**
 * A trained classifier as it answers, on one of the {@linkplain InferenceEngine inference engines}: the PyTorch
 * {@link TextClassifier} itself or an {@link OnnxClassifier} compiled from it.
 */
public interface TextPredictor extends AutoCloseable {

    /** Label probabilities for each text, in input order; thread-safe. */
    List<Prediction> predict(List<String> texts);

    /** The labels, in logit order. */
    List<String> labels();

    /** Provenance stored in the adapter file. */
    Map<String, String> lineage();

    /** Frees its native memory; waits for predictions in flight. */
    @Override
    void close();
}
