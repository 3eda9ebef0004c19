package dev.streamtune.evaluator.scoring;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A loaded model (base + adapter) that gives label probabilities; owns native memory until closed. */
public interface AdapterScorer extends AutoCloseable {

    /** Label probabilities for each text, in input order. */
    List<Map<String, Double>> predict(List<String> texts);

    /** Every label of the adapter's head, declared or learned. */
    List<String> labels();

    /**
     * The labels the adapter has seen training examples for, as its file records them; empty for a file written
     * before that record existed.
     */
    default Optional<List<String>> learnedLabels() {
        return Optional.empty();
    }

    /**
     * For a scorer whose answers are not exactly the trained adapter's (an int8 engine): the same adapter scored
     * exactly, to measure what the approximation costs. Empty for an exact scorer. Closed with this one.
     */
    default Optional<AdapterScorer> exact() {
        return Optional.empty();
    }

    @Override
    void close();
}
