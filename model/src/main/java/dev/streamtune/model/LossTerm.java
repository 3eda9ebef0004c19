package dev.streamtune.model;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * An extra term added to the classification loss inside the gradient collector, so it is differentiated with it
 * (e.g. an EWC penalty, {@link QuadraticPenalty}, which reads only the parameters; or knowledge distillation,
 * {@link DistillationLoss}, a {@link BatchLossTerm} which reads the batch's logits). A session takes any number of
 * them ({@link TrainingSession#accumulate(java.util.List, java.util.List)}) and calls {@link #compute(ForwardPass)}.
 *
 * <p>Every NDArray created while computing the term is closed when the training step ends, whatever its
 * manager: create long-lived arrays (anchors, weights) beforehand, not in here. Fold constant factors into those
 * arrays rather than using {@code mul(Number)}/{@code muli(Number)}, whose Java-backed scalar autograd may read
 * after the GC has freed it (see trainer/README.md, "Fixed defect").
 */
@FunctionalInterface
public interface LossTerm {

    /**
     * @param parameters the live trainable parameters by name ({@link TextClassifier#trainableParameterNames()})
     * @return a scalar to add to the loss
     */
    NDArray compute(Map<String, NDArray> parameters);

    /**
     * The term for one training step; what the session calls. A term that depends only on the parameters (the
     * default) ignores the batch.
     *
     * @return a scalar to add to the loss
     */
    default NDArray compute(ForwardPass pass) {
        return compute(pass.parameters());
    }
}
