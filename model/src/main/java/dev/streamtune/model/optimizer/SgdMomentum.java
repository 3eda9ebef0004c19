package dev.streamtune.model.optimizer;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with (heavy-ball) momentum as PyTorch's {@code torch.optim.SGD} computes it (no
 * dampening, no Nesterov): slot {@code momentum_buffer}; {@code buf = momentum buf + g; p -= lr buf}. PyTorch starts
 * the buffer at the first gradient, which is what a zero buffer gives here. Momentum 0 is plain SGD (the buffer is
 * then the gradient). Needs a much larger learning rate than AdamW (typically 10-100x): its step is the gradient
 * itself, not a normalised direction.
 *
 * @param momentum the buffer's decay, in [0, 1)
 */
public record SgdMomentum(float momentum) implements UpdateRule {

    public static final String NAME = "sgd";

    public SgdMomentum {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("SGD momentum must be in [0, 1): " + momentum);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> slots() {
        return List.of("momentum_buffer");
    }

    @Override
    public void update(NDArray p, NDArray g, Map<String, NDArray> state, float learningRate, int step) {
        NDArray buffer = state.get("momentum_buffer").muli(momentum).addi(g);
        p.subi(buffer.mul(learningRate));
    }
}
