package dev.streamtune.model.nn;

import ai.djl.ndarray.NDArray;

/** Mean of the token vectors over the non-padding positions, as sentence-transformers pools. */
public final class MeanPooling {

    private MeanPooling() {}

    /**
     * @param hidden [B, T, H]
     * @param validMask [B, T] float, 1 for tokens and 0 for padding; null when nothing is padded
     * @return [B, H]
     */
    public static NDArray apply(NDArray hidden, NDArray validMask) {
        if (validMask == null) {
            return hidden.mean(new int[] {1});
        }
        NDArray m = validMask.expandDims(2); // [B, T, 1]
        NDArray summed = hidden.mul(m).sum(new int[] {1});
        NDArray counts = validMask.sum(new int[] {1}, true).maximum(1e-9f); // [B, 1]
        return summed.divi(counts);
    }
}
