package dev.streamtune.model.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Sequence classification head: mean pooling over the tokens, dropout, then a linear layer to one logit per label.
 *
 * <p>Input: {@code [hidden [B, T, H]]} plus {@code validMask [B, T]} when padded. Output: {@code [logits [B, C]]}.
 */
public final class ClassifierHead extends AbstractBlock {

    /** Parameter names in adapter files. */
    public static final String WEIGHT = "classifier.weight";
    public static final String BIAS = "classifier.bias";

    private final Parameter weight;
    private final Parameter bias;
    private final float dropout;

    /**
     * @param weight [C, H]
     * @param bias [C]
     */
    public ClassifierHead(NDArray weight, NDArray bias, float dropout) {
        this.weight = addParameter(LoraLinear.param(WEIGHT, Parameter.Type.WEIGHT, weight));
        this.bias = addParameter(LoraLinear.param(BIAS, Parameter.Type.BIAS, bias));
        this.dropout = dropout;
        this.inputShapes = new Shape[] {new Shape(-1, -1, weight.getShape().get(1))};
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null, training));
    }

    NDArray apply(ParameterStore ps, NDArray hidden, NDArray validMask, boolean training) {
        Device device = hidden.getDevice();
        NDArray pooled = Functional.dropout(MeanPooling.apply(hidden, validMask), dropout, training);
        return Functional.linear(pooled, ps.getValue(weight, device, training), ps.getValue(bias, device, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), weight.getArray().getShape().get(0))};
    }
}
