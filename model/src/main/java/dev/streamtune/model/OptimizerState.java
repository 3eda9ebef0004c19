package dev.streamtune.model;

import java.util.Map;

/**
 * AdamW's state between steps, as plain arrays: how many steps were taken (for bias correction) and the first and
 * second moment estimates per trainable parameter. Saved in checkpoints so a resumed training continues the same
 * optimisation rather than restarting its moments.
 */
public record OptimizerState(int steps, Map<String, float[]> firstMoments, Map<String, float[]> secondMoments) {

    public OptimizerState {
        if (steps < 0 || !firstMoments.keySet().equals(secondMoments.keySet())) {
            throw new IllegalArgumentException("inconsistent optimizer state: " + steps + " steps, moments for "
                    + firstMoments.keySet() + " and " + secondMoments.keySet());
        }
        firstMoments = Map.copyOf(firstMoments);
        secondMoments = Map.copyOf(secondMoments);
    }
}
