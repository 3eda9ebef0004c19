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
 * <p>The bottom {@code frozenBottomLayers} layers (and the embeddings under them) have nothing to train: they always
 * run as in inference, without dropout, so their output is a function of the tokens. {@link #frozenBottom} and
 * {@link #top} run the two parts separately, so a caller can compute the first once per text and reuse it.
 *
 * <p>Each layer runs inside an {@link NDScope}: the handles of its intermediate arrays are closed as soon as the
 * layer is done (autograd keeps its own references to what backward needs), so a forward pass holds about one
 * layer's activations at a time rather than all of them until the request ends.
 */
public final class BertEncoder extends AbstractBlock {

    private static final float MASKED = -1e9f;

    private final BertEmbeddings embeddings;
    private final List<BertLayer> layers;
    private final int frozenBottomLayers;

    /**
     * @param frozenBottomLayers how many bottom layers run without dropout even while training (0: the embeddings'
     *     and every layer's dropout apply while training)
     */
    public BertEncoder(BertEmbeddings embeddings, List<BertLayer> layers, int frozenBottomLayers) {
        if (frozenBottomLayers < 0 || frozenBottomLayers > layers.size()) {
            throw new IllegalArgumentException(frozenBottomLayers + " frozen layers of " + layers.size());
        }
        this.embeddings = addChildBlock("embeddings", embeddings);
        for (int i = 0; i < layers.size(); i++) {
            addChildBlock("layer" + i, layers.get(i));
        }
        this.layers = List.copyOf(layers);
        this.frozenBottomLayers = frozenBottomLayers;
        this.inputShapes = new Shape[] {new Shape(-1, -1), new Shape(-1, -1)};
    }

    /** The encoder layers, bottom first. */
    public List<BertLayer> layers() {
        return layers;
    }

    /** How many bottom layers always run as in inference (see the class comment). */
    public int frozenBottomLayers() {
        return frozenBottomLayers;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray validMask = inputs.size() > 2 ? inputs.get(2) : null;
        return new NDList(apply(ps, inputs.get(0), inputs.get(1), validMask, training));
    }

    NDArray apply(ParameterStore ps, NDArray inputIds, NDArray tokenTypeIds, NDArray validMask, boolean training) {
        Shape ids = inputIds.getShape();
        NDArray rows = bottom(ps, inputIds, tokenTypeIds, validMask, frozenBottomLayers == 0 && training);
        return top(ps, rows, ids.get(0), ids.get(1), validMask, training);
    }

    /**
     * The embeddings and the frozen bottom layers, as in inference.
     *
     * @return {@code [B*T, H]}: token vectors as rows, what {@link #top} takes
     */
    public NDArray frozenBottom(ParameterStore ps, NDArray inputIds, NDArray tokenTypeIds, NDArray validMask) {
        return bottom(ps, inputIds, tokenTypeIds, validMask, false);
    }

    private NDArray bottom(ParameterStore ps, NDArray inputIds, NDArray tokenTypeIds, NDArray validMask,
            boolean embeddingDropout) {
        NDArray x;
        try (NDScope scope = new NDScope()) {
            x = embeddings.apply(ps, inputIds, tokenTypeIds, embeddingDropout);
            NDScope.unregister(x);
        }
        Shape shape = x.getShape(); // [B, T, H]
        NDArray rows = x.reshape(shape.get(0) * shape.get(1), shape.get(2));
        x.close();
        return layers(ps, rows, shape.get(0), shape.get(1), validMask, 0, frozenBottomLayers, false);
    }

    /**
     * The layers above the frozen bottom ones, on their output.
     *
     * @param rows {@code [B*T, H]} from {@link #frozenBottom} (or an equal computation); closed here
     * @return {@code [B, T, H]}
     */
    public NDArray top(ParameterStore ps, NDArray rows, long batch, long tokens, NDArray validMask, boolean training) {
        long hidden = rows.getShape().get(1);
        NDArray out = layers(ps, rows, batch, tokens, validMask, frozenBottomLayers, layers.size(), training);
        NDArray shaped = out.reshape(batch, tokens, hidden);
        out.close();
        return shaped;
    }

    /** Layers {@code from} (inclusive) to {@code to} (exclusive) on {@code rows}, which are closed. */
    private NDArray layers(ParameterStore ps, NDArray rows, long batch, long tokens, NDArray validMask, int from,
            int to, boolean training) {
        if (from == to) {
            return rows;
        }
        NDArray additiveMask = null;
        if (validMask != null) {
            // 0 where attended, -1e9 where padded; [B, 1, 1, T] broadcasts over heads and query positions.
            try (NDScope scope = new NDScope()) {
                additiveMask = validMask.sub(1f).muli(-MASKED).reshape(batch, 1, 1, tokens);
                NDScope.unregister(additiveMask);
            }
        }
        for (int i = from; i < to; i++) {
            try (NDScope scope = new NDScope()) {
                NDArray next = layers.get(i).apply(ps, rows, batch, tokens, additiveMask, training);
                NDScope.unregister(next);
                rows.close();
                rows = next;
            }
        }
        if (additiveMask != null) {
            additiveMask.close();
        }
        return rows;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return embeddings.getOutputShapes(inputShapes);
    }
}
