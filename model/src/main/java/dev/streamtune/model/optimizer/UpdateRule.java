package dev.streamtune.model.optimizer;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;

/**
 * What an optimizer does to one parameter in one step, given its gradient and its own per-parameter state (AdamW's
 * moments, SGD's momentum buffer, ...). {@link dev.streamtune.model.TrainingSession} owns everything shared by the
 * methods: averaging accumulated gradients, clipping the global norm, skipping a non-finite step, decoupled weight
 * decay (not on biases and LayerNorm), the step count, and the state arrays themselves (one per {@link #slots()
 * slot} and parameter, zeros of the parameter's shape, in the session's NDManager). A new method is one class
 * implementing this interface plus its test.
 *
 * <p>Memory: {@link #update} runs inside the session's per-step NDScope, with gradients off. Temporaries it creates
 * are freed when the step ends; the parameter and its state must be changed in place ({@code muli}, {@code addi},
 * {@code subi}, ...), never replaced.
 */
public interface UpdateRule {

    /** The method's name, as configured and as recorded in a saved {@link dev.streamtune.model.OptimizerState}. */
    String name();

    /** Names of the per-parameter state arrays the method keeps, in a fixed order; may be empty. */
    List<String> slots();

    /**
     * Updates {@code parameter} in place (weight decay already applied by the session).
     *
     * @param gradient     the mean gradient over the accumulated batches, clipped; may be modified
     * @param state        this parameter's state arrays by slot name, to update in place
     * @param learningRate this step's learning rate
     * @param step         1-based number of this update (bias corrections); skipped steps do not count
     */
    void update(NDArray parameter, NDArray gradient, Map<String, NDArray> state, float learningRate, int step);
}
