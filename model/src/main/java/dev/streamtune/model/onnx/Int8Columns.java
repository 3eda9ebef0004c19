package dev.streamtune.model.onnx;

/**
 * A weight matrix [in, out] quantised to int8 per output column, symmetrically: {@code w ≈ values * scales[col]},
 * zero point 0, values in [-127, 127] (never -128, so negating a value cannot overflow).
 *
 * @param values [in, out] row-major
 * @param scales one per output column
 */
record Int8Columns(byte[] values, float[] scales) {

    static Int8Columns quantise(float[] w, int in, int out) {
        if (w.length != in * out) {
            throw new IllegalArgumentException(w.length + " values for [" + in + ", " + out + "]");
        }
        float[] scales = new float[out];
        for (int r = 0; r < in; r++) {
            for (int c = 0; c < out; c++) {
                scales[c] = Math.max(scales[c], Math.abs(w[r * out + c]));
            }
        }
        for (int c = 0; c < out; c++) {
            scales[c] = scales[c] == 0f ? 1f : scales[c] / 127f; // an all-zero column stays zero at any scale
        }
        byte[] q = new byte[w.length];
        for (int r = 0; r < in; r++) {
            for (int c = 0; c < out; c++) {
                q[r * out + c] = (byte) Math.max(-127, Math.min(127, Math.round(w[r * out + c] / scales[c])));
            }
        }
        return new Int8Columns(q, scales);
    }

    /** The value the quantised weight stands for at [row, col]. */
    float dequantised(int row, int col) {
        return values[row * scales.length + col] * scales[col];
    }
}
