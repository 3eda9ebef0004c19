package dev.streamtune.model.optimizer;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;

/**
 * RMSprop as PyTorch's {@code torch.optim.RMSprop} computes it (not centred, no momentum): slot {@code square_avg};
 * {@code sq = alpha sq + (1-alpha) g^2; p -= lr g / (sqrt(sq) + eps)}. No bias correction, so the first steps are
 * larger than later ones by up to {@code 1/sqrt(1-alpha)} (10x at alpha 0.99): use a learning rate at or below
 * AdamW's, and a warm-up.
 *
 * @param alpha   the squared-gradient average's decay, in [0, 1)
 * @param epsilon added to the root of the average
 */
public record RmsProp(float alpha, float epsilon) implements UpdateRule {

    public static final String NAME = "rmsprop";

    public RmsProp {
        if (!(alpha >= 0 && alpha < 1 && epsilon > 0)) {
            throw new IllegalArgumentException("invalid RMSprop settings: alpha " + alpha + ", epsilon " + epsilon);
        }
    }

    /** PyTorch's default epsilon (1e-8) with the given alpha (PyTorch's default 0.99). */
    public static RmsProp withAlpha(float alpha) {
        return new RmsProp(alpha, 1e-8f);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> slots() {
        return List.of("square_avg");
    }

    @Override
    public void update(NDArray p, NDArray g, Map<String, NDArray> state, float learningRate, int step) {
        NDArray squareAvg = state.get("square_avg").muli(alpha).addi(g.mul(g).muli(1 - alpha));
        p.subi(g.div(squareAvg.sqrt().addi(epsilon)).muli(learningRate));
    }
}
