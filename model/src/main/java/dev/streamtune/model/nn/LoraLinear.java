package dev.streamtune.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A linear projection {@code y = x W^T + b}, optionally with a low-rank adapter added:
 * {@code y += (alpha / r) * B A dropout(x)} with {@code A: [r, in]} and {@code B: [out, r]} (LoRA, Hu et al.
 * 2021). Without an adapter it is a plain linear layer, so every projection of the encoder is one of these.
 *
 * <p>Arrays are handed in, not created: the frozen {@code W} and {@code b} are typically the base model's shared
 * arrays, {@code A} and {@code B} belong to the adapter. Parameter names are the HuggingFace/PEFT names, e.g.
 * {@code encoder.layer.0.attention.self.query.lora_A.weight}.
 */
public final class LoraLinear extends AbstractBlock {

    private final Parameter weight;
    private final Parameter bias;
    private final Parameter loraA;
    private final Parameter loraB;
    private final float scaling;
    private final float dropout;

    /**
     * @param modulePath HuggingFace module path, e.g. {@code encoder.layer.0.attention.self.query}
     * @param weight [out, in]
     * @param bias [out]
     * @param loraA [r, in], or null for no adapter
     * @param loraB [out, r], or null for no adapter
     * @param scaling alpha / r
     * @param dropout dropout on the adapter's input, training only
     */
    public LoraLinear(String modulePath, NDArray weight, NDArray bias, NDArray loraA, NDArray loraB, float scaling,
            float dropout) {
        if ((loraA == null) != (loraB == null)) {
            throw new IllegalArgumentException(modulePath + ": LoRA needs both A and B");
        }
        this.weight = addParameter(param(modulePath + ".weight", Parameter.Type.WEIGHT, weight));
        this.bias = addParameter(param(modulePath + ".bias", Parameter.Type.BIAS, bias));
        this.loraA = loraA == null ? null : addParameter(param(modulePath + ".lora_A.weight", Parameter.Type.WEIGHT, loraA));
        this.loraB = loraB == null ? null : addParameter(param(modulePath + ".lora_B.weight", Parameter.Type.WEIGHT, loraB));
        this.scaling = scaling;
        this.dropout = dropout;
        this.inputShapes = new Shape[] {new Shape(-1, weight.getShape().get(1))};
    }

    static Parameter param(String name, Parameter.Type type, NDArray array) {
        return Parameter.builder().setName(name).setType(type).optArray(array).optRequiresGrad(false).build();
    }

    /** Whether a LoRA adapter is attached. */
    public boolean hasAdapter() {
        return loraA != null;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        return new NDList(apply(ps, x, training));
    }

    NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        var device = x.getDevice();
        NDArray y = Functional.linear(x, ps.getValue(weight, device, training), ps.getValue(bias, device, training));
        if (loraA != null) {
            NDArray xa = Functional.linear(Functional.dropout(x, dropout, training), ps.getValue(loraA, device, training), null);
            // Scale the rank-r intermediate, not the [.., out] result: same maths, out/r times less work.
            xa = Functional.scale(xa, scaling);
            y.addi(Functional.linear(xa, ps.getValue(loraB, device, training), null));
        }
        return y;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {in.slice(0, in.dimension() - 1).add(weight.getArray().getShape().get(0))};
    }
}
