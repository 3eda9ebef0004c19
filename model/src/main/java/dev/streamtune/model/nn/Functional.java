package dev.streamtune.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The fused PyTorch kernels the blocks use. Each result belongs to the manager of its first argument, which is
 * always the activation (per-request or per-step), never a weight: weights live for the model's lifetime.
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
     * Inverted dropout from a uniform draw: {@code x * (u >= rate) / (1 - rate)}. Same distribution as
     * {@code torch.dropout}, whose CPU Bernoulli sampler measured 4-5x slower than {@code uniform_} here.
     */
    static NDArray dropout(NDArray x, float rate, boolean training) {
        if (!training || rate <= 0f) {
            return x;
        }
        NDArray keep = x.getManager().randomUniform(0f, 1f, x.getShape(), x.getDataType()).gte(rate);
        return x.mul(keep).muli(1f / (1f - rate));
    }

    static NDArray embedding(NDArray ids, NDArray table) {
        return ids.getNDArrayInternal().embedding(ids, table, ai.djl.ndarray.types.SparseFormat.DENSE)
                .singletonOrThrow();
    }
}
