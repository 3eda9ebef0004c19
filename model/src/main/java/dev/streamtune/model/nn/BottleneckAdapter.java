package dev.streamtune.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;

/**
 * A residual bottleneck {@code x + up(gelu(down(x)))} (Houlsby et al. 2019): {@code down [m, H]} projects each token
 * to {@code m} dimensions and {@code up [H, m]} back. With {@code up} zero it is the identity, so a new adapter
 * starts from the base model's function, as LoRA with B = 0 does.
 *
 * <p>Input and output: token vectors as rows, {@code [N, H]}.
 */
public final class BottleneckAdapter extends AbstractBlock {

    private final Parameter downWeight;
    private final Parameter downBias;
    private final Parameter upWeight;
    private final Parameter upBias;

    /**
     * The adapter in {@code arrays} for this slot, or null when the arrays hold none (the method in use fills no
     * such slot).
     */
    static BottleneckAdapter inSlot(int layer, PeftSlots.Sublayer sublayer, Map<String, NDArray> arrays) {
        String downW = PeftSlots.adapter(layer, sublayer, PeftSlots.Projection.DOWN, false);
        if (!arrays.containsKey(downW)) {
            return null;
        }
        return new BottleneckAdapter(downW, PeftSlots.adapter(layer, sublayer, PeftSlots.Projection.DOWN, true),
                PeftSlots.adapter(layer, sublayer, PeftSlots.Projection.UP, false),
                PeftSlots.adapter(layer, sublayer, PeftSlots.Projection.UP, true), arrays);
    }

    private BottleneckAdapter(String downW, String downB, String upW, String upB, Map<String, NDArray> arrays) {
        this.downWeight = addParameter(LoraLinear.param(downW, Parameter.Type.WEIGHT, require(arrays, downW)));
        this.downBias = addParameter(LoraLinear.param(downB, Parameter.Type.BIAS, require(arrays, downB)));
        this.upWeight = addParameter(LoraLinear.param(upW, Parameter.Type.WEIGHT, require(arrays, upW)));
        this.upBias = addParameter(LoraLinear.param(upB, Parameter.Type.BIAS, require(arrays, upB)));
        this.inputShapes = new Shape[] {new Shape(-1, upBias.getArray().getShape().get(0))};
    }

    private static NDArray require(Map<String, NDArray> arrays, String name) {
        NDArray a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("bottleneck adapter without " + name);
        }
        return a;
    }

    NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        var device = x.getDevice();
        NDArray inner = Functional.gelu(Functional.linear(x, ps.getValue(downWeight, device, training),
                ps.getValue(downBias, device, training)));
        return Functional.linear(inner, ps.getValue(upWeight, device, training),
                ps.getValue(upBias, device, training)).addi(x);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
