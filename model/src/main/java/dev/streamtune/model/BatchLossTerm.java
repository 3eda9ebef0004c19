package dev.streamtune.model;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;

/**
 * A {@link LossTerm} computed from the batch and the student's logits for it (e.g. {@link DistillationLoss}), rather
 * than from the parameters alone. It is a {@code LossTerm} so that a session (and a trainer strategy) takes it in the
 * same list as parameter penalties; it has no value without a batch.
 */
@FunctionalInterface
public interface BatchLossTerm extends LossTerm {

    /**
     * @param logits {@code [batch, labels]} on the autograd tape (belongs to the step's NDManager)
     * @param batch  the examples in the logits' row order
     * @return a scalar to add to the loss
     */
    NDArray compute(NDArray logits, List<LabeledText> batch);

    @Override
    default NDArray compute(ForwardPass pass) {
        return compute(pass.logits(), pass.batch());
    }

    /** Refused: this term needs a batch; a {@link TrainingSession} calls {@link #compute(ForwardPass)}. */
    @Override
    default NDArray compute(Map<String, NDArray> parameters) {
        throw new UnsupportedOperationException(getClass().getSimpleName()
                + " needs the batch's logits: pass it to TrainingSession.accumulate");
    }
}
