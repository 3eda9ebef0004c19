package dev.streamtune.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
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
 * <p>With prompt tuning ({@link PeftSlots#PROMPT}), P virtual tokens join every text after the embeddings: every
 * layer attends to and transforms them, and they are dropped from the output, so pooling sees the text's tokens
 * only. They carry no position (they are vectors in the embeddings' output space), so where they sit does not
 * matter to attention: they go after the tokens. A prompt needs every layer trainable ({@code frozenBottomLayers}
 * 0), since it enters below the first one.
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
    /** Prompt tuning's virtual tokens {@code [P, H]}, or null. */
    private final Parameter prompt;

    /**
     * @param frozenBottomLayers how many bottom layers run without dropout even while training (0: the embeddings'
     *     and every layer's dropout apply while training)
     * @param prompt virtual tokens {@code [P, H]} ({@link PeftSlots#PROMPT}), or null for none
     */
    public BertEncoder(BertEmbeddings embeddings, List<BertLayer> layers, int frozenBottomLayers, NDArray prompt) {
        if (frozenBottomLayers < 0 || frozenBottomLayers > layers.size()) {
            throw new IllegalArgumentException(frozenBottomLayers + " frozen layers of " + layers.size());
        }
        if (prompt != null && frozenBottomLayers > 0) {
            throw new IllegalArgumentException("a prompt enters below every layer: no layer can be frozen with it");
        }
        this.prompt = prompt == null ? null
                : addParameter(LoraLinear.param(PeftSlots.PROMPT, Parameter.Type.WEIGHT, prompt));
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
        if (prompt != null) {
            return prompted(ps, rows, batch, tokens, hidden, validMask, training);
        }
        NDArray out = layers(ps, rows, batch, tokens, validMask, frozenBottomLayers, layers.size(), training);
        NDArray shaped = out.reshape(batch, tokens, hidden);
        out.close();
        return shaped;
    }

    /** {@link #top} with the prompt's P virtual tokens after each text's T tokens, dropped again at the end. */
    private NDArray prompted(ParameterStore ps, NDArray rows, long batch, long tokens, long hidden, NDArray validMask,
            boolean training) {
        NDArray promptRows = ps.getValue(prompt, rows.getDevice(), training);
        long p = promptRows.getShape().get(0);
        long all = tokens + p;
        NDArray extended;
        NDArray extendedMask = null;
        try (NDScope scope = new NDScope()) {
            extended = rows.reshape(batch, tokens, hidden)
                    .concat(promptRows.expandDims(0).broadcast(new Shape(batch, p, hidden)), 1)
                    .reshape(batch * all, hidden);
            NDScope.unregister(extended);
            if (validMask != null) {
                extendedMask = validMask.concat(validMask.getManager().ones(new Shape(batch, p)), 1);
                NDScope.unregister(extendedMask);
            }
        }
        rows.close();
        NDArray out = layers(ps, extended, batch, all, extendedMask, frozenBottomLayers, layers.size(), training);
        if (extendedMask != null) {
            extendedMask.close();
        }
        NDArray shaped;
        try (NDScope scope = new NDScope()) {
            shaped = out.reshape(batch, all, hidden).get(":, :" + tokens + ", :");
            NDScope.unregister(shaped);
        }
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
