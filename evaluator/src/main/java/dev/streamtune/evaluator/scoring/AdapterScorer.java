package dev.streamtune.evaluator.scoring;

import java.util.List;
import java.util.Map;

/** A loaded model (base + adapter) that gives label probabilities; owns native memory until closed. */
public interface AdapterScorer extends AutoCloseable {

    /** Label probabilities for each text, in input order. */
    List<Map<String, Double>> predict(List<String> texts);

    @Override
    void close();
}
