package dev.streamtune.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * {@link BertEncoder} followed by a {@link ClassifierHead}.
 *
 * <p>Input: {@code [inputIds [B, T], tokenTypeIds [B, T]]} plus {@code validMask [B, T]} when padded.
 * Output: {@code [logits [B, C]]}.
 */
public final class BertClassifier extends AbstractBlock {

    private final BertEncoder encoder;
    private final ClassifierHead head;

    public BertClassifier(BertEncoder encoder, ClassifierHead head) {
        this.encoder = addChildBlock("encoder", encoder);
        this.head = addChildBlock("head", head);
        this.inputShapes = new Shape[] {new Shape(-1, -1), new Shape(-1, -1)};
    }

    public BertEncoder encoder() {
        return encoder;
    }

    public ClassifierHead head() {
        return head;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray validMask = inputs.size() > 2 ? inputs.get(2) : null;
        NDArray hidden = encoder.apply(ps, inputs.get(0), inputs.get(1), validMask, training);
        return new NDList(head.apply(ps, hidden, validMask, training));
    }

    /**
     * The logits from the output of the encoder's frozen bottom layers ({@link BertEncoder#frozenBottom}): the rest
     * of the encoder, then the head.
     *
     * @param rows {@code [B*T, H]}; closed here
     * @param validMask {@code [B, T]}, or null when nothing is padded
     */
    public NDArray logitsAboveFrozen(ParameterStore ps, NDArray rows, long batch, long tokens, NDArray validMask,
            boolean training) {
        NDArray hidden = encoder.top(ps, rows, batch, tokens, validMask, training);
        return head.apply(ps, hidden, validMask, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return head.getOutputShapes(encoder.getOutputShapes(inputShapes));
    }
}
