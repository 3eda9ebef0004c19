package dev.streamtune.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The fused PyTorch kernels the blocks use. Each result belongs to the manager of its first argument, which is
 * always the activation (per-request or per-step), never a weight: weights live for the model's lifetime.
 *
 * <p>Multiply by a constant with {@link #scale}, never with DJL's {@code mul(Number)}/{@code muli(Number)} on
 * anything that may need a gradient: see there.
 */
final class Functional {

    private Functional() {}

    /** {@code x W^T + b}, one fused addmm. */
    static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }

    static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, float eps) {
        return x.getNDArrayInternal().layerNorm(x, new Shape(gamma.getShape().get(0)), gamma, beta, eps)
                .singletonOrThrow();
    }

    /** Exact (erf) GELU, as BERT uses. */
    static NDArray gelu(NDArray x) {
        return x.getNDArrayInternal().gelu();
    }

    /**
     * {@code x * factor}, in place, safe under autograd.
     *
     * <p>DJL's {@code muli(Number)} wraps the number in a 0-d tensor over a Java direct buffer
     * ({@code torch::from_blob}, memory owned by the Java handle) and closes that handle as soon as the op returns.
     * Autograd, however, saves the factor for backward ({@code d(x*c)/dx = c}); once the GC frees the buffer, backward
     * reads freed memory and every gradient below this point is scaled by garbage. A tensor from
     * {@code NDManager.full} is allocated by libtorch and reference-counted, so autograd's reference keeps it alive
     * after the handle here is closed.
     */
    static NDArray scale(NDArray x, float factor) {
        try (NDArray c = x.getManager().full(new Shape(), factor, x.getDataType())) {
            return x.muli(c);
        }
    }

    /**
     * Inverted dropout from a uniform draw: {@code x * (u >= rate) / (1 - rate)}. Same distribution as
     * {@code torch.dropout}, whose CPU Bernoulli sampler measured 4-5x slower than {@code uniform_} here.
     */
    static NDArray dropout(NDArray x, float rate, boolean training) {
        if (!training || rate <= 0f) {
            return x;
        }
        NDArray keep = x.getManager().randomUniform(0f, 1f, x.getShape(), x.getDataType()).gte(rate);
        return scale(x.mul(keep), 1f / (1f - rate));
    }

    static NDArray embedding(NDArray ids, NDArray table) {
        return ids.getNDArrayInternal().embedding(ids, table, ai.djl.ndarray.types.SparseFormat.DENSE)
                .singletonOrThrow();
    }
}
