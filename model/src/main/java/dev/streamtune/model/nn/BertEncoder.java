package dev.streamtune.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * A BERT-family encoder: {@link BertEmbeddings} followed by {@link BertLayer}s.
 *
 * <p>Input: {@code [inputIds [B, T], tokenTypeIds [B, T]]}, plus {@code validMask [B, T]} (float, 1 for tokens,
 * 0 for padding) when the batch is padded. Output: {@code [hidden [B, T, H]]}.
 *
 * <p>Each layer runs inside an {@link NDScope}: the handles of its intermediate arrays are closed as soon as the
 * layer is done (autograd keeps its own references to what backward needs), so a forward pass holds about one
 * layer's activations at a time rather than all of them until the request ends.
 */
public final class BertEncoder extends AbstractBlock {

    private static final float MASKED = -1e9f;

    private final BertEmbeddings embeddings;
    private final List<BertLayer> layers;

    public BertEncoder(BertEmbeddings embeddings, List<BertLayer> layers) {
        this.embeddings = addChildBlock("embeddings", embeddings);
        for (int i = 0; i < layers.size(); i++) {
            addChildBlock("layer" + i, layers.get(i));
        }
        this.layers = List.copyOf(layers);
        this.inputShapes = new Shape[] {new Shape(-1, -1), new Shape(-1, -1)};
    }

    /** The encoder layers, bottom first. */
    public List<BertLayer> layers() {
        return layers;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray validMask = inputs.size() > 2 ? inputs.get(2) : null;
        return new NDList(apply(ps, inputs.get(0), inputs.get(1), validMask, training));
    }

    NDArray apply(ParameterStore ps, NDArray inputIds, NDArray tokenTypeIds, NDArray validMask, boolean training) {
        NDArray x;
        NDArray additiveMask = null;
        try (NDScope scope = new NDScope()) {
            x = embeddings.apply(ps, inputIds, tokenTypeIds, training);
            if (validMask != null) {
                // 0 where attended, -1e9 where padded; [B, 1, 1, T] broadcasts over heads and query positions.
                Shape s = validMask.getShape();
                additiveMask = validMask.sub(1f).muli(-MASKED).reshape(s.get(0), 1, 1, s.get(1));
                NDScope.unregister(additiveMask);
            }
            NDScope.unregister(x);
        }
        Shape shape = x.getShape(); // [B, T, H]
        long batch = shape.get(0);
        long tokens = shape.get(1);
        NDArray rows = x.reshape(batch * tokens, shape.get(2));
        x.close();
        for (BertLayer layer : layers) {
            try (NDScope scope = new NDScope()) {
                NDArray next = layer.apply(ps, rows, batch, tokens, additiveMask, training);
                NDScope.unregister(next);
                rows.close();
                rows = next;
            }
        }
        if (additiveMask != null) {
            additiveMask.close();
        }
        NDArray out = rows.reshape(shape);
        rows.close();
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return embeddings.getOutputShapes(inputShapes);
    }
}
