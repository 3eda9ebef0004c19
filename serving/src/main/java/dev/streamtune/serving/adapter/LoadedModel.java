package dev.streamtune.serving.adapter;

import java.util.List;
import java.util.Map;

import dev.streamtune.model.Prediction;

/** An adapter in memory, ready to answer: what the batchers run and the registry swaps. */
public interface LoadedModel extends AutoCloseable {

    /** Label probabilities per text; thread-safe. */
    List<Prediction> predict(List<String> texts);

    /** The labels, in logit order. */
    List<String> labels();

    /** Provenance stored in the adapter file. */
    Map<String, String> lineage();

    /** Frees the adapter's native memory; called once, after its last in-flight request. */
    @Override
    void close();
}
