package dev.streamtune.model.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;

/**
 * Word + absolute position + token type embeddings, then LayerNorm and dropout. Always frozen.
 *
 * <p>Input: {@code [inputIds [B, T] int64, tokenTypeIds [B, T] int64]}. Output: {@code [hidden [B, T, H]]}.
 */
public final class BertEmbeddings extends AbstractBlock {

    private final Parameter words;
    private final Parameter positions;
    private final Parameter tokenTypes;
    private final Parameter normWeight;
    private final Parameter normBias;
    private final float layerNormEps;
    private final float dropout;

    public BertEmbeddings(Map<String, NDArray> arrays, float layerNormEps, float dropout) {
        this.words = addParameter(frozen("embeddings.word_embeddings.weight", arrays));
        this.positions = addParameter(frozen("embeddings.position_embeddings.weight", arrays));
        this.tokenTypes = addParameter(frozen("embeddings.token_type_embeddings.weight", arrays));
        this.normWeight = addParameter(frozen("embeddings.LayerNorm.weight", arrays));
        this.normBias = addParameter(frozen("embeddings.LayerNorm.bias", arrays));
        this.layerNormEps = layerNormEps;
        this.dropout = dropout;
        this.inputShapes = new Shape[] {new Shape(-1, -1), new Shape(-1, -1)};
    }

    private static Parameter frozen(String name, Map<String, NDArray> arrays) {
        NDArray a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("missing weight " + name);
        }
        return LoraLinear.param(name, Parameter.Type.WEIGHT, a);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.get(0), inputs.get(1), training));
    }

    NDArray apply(ParameterStore ps, NDArray inputIds, NDArray tokenTypeIds, boolean training) {
        Device device = inputIds.getDevice();
        long tokens = inputIds.getShape().get(1);
        long maxPositions = positions.getArray().getShape().get(0);
        if (tokens > maxPositions) {
            throw new IllegalArgumentException(tokens + " tokens exceed the " + maxPositions + " positions of the model");
        }
        NDArray positionIds = inputIds.getManager().arange(0, (int) tokens, 1, DataType.INT64);
        NDArray e = Functional.embedding(inputIds, ps.getValue(words, device, training));
        e.addi(Functional.embedding(tokenTypeIds, ps.getValue(tokenTypes, device, training)));
        e.addi(Functional.embedding(positionIds, ps.getValue(positions, device, training))); // [T, H] broadcasts
        NDArray h = Functional.layerNorm(e, ps.getValue(normWeight, device, training), ps.getValue(normBias, device, training),
                layerNormEps);
        return Functional.dropout(h, dropout, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(normWeight.getArray().getShape().get(0))};
    }
}
