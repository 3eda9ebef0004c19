package dev.streamtune.model;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * An extra term added to the classification loss inside the gradient collector, so it is differentiated with it
 * (e.g. an EWC penalty; see {@link QuadraticPenalty}).
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
}
