package dev.streamtune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MergedWeightsTest {

    @Test
    void mergeAddsTheScaledLowRankProduct() {
        float[] w = {1, 2, 3, 4, 5, 6}; // [out 2, in 3]
        float[] a = {1, 0, 2}; // [r 1, in 3]
        float[] b = {3, -1}; // [out 2, r 1]
        // W + 0.5 * B A = W + 0.5 * [[3, 0, 6], [-1, 0, -2]]
        assertArrayEquals(new float[] {2.5f, 2, 6, 3.5f, 5, 5}, MergedWeights.merge(w, a, b, 2, 3, 1, 0.5f));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, w, "the base weight is left as it was");
    }

    @Test
    void mergeRefusesShapesThatDoNotFit() {
        assertThrows(IllegalArgumentException.class,
                () -> MergedWeights.merge(new float[6], new float[4], new float[2], 2, 3, 1, 1f));
    }
}
