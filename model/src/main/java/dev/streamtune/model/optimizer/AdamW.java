package dev.streamtune.model.optimizer;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;

/**
 * Adam with bias correction (Loshchilov and Hutter's AdamW when the session applies weight decay): slots {@code m}
 * (first moment) and {@code v} (second moment).
 * {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p -= lr / (1-b1^t) * m / (sqrt(v) / sqrt(1-b2^t) + eps)},
 * which is PyTorch's {@code torch.optim.AdamW} step.
 *
 * @param beta1   first-moment decay
 * @param beta2   second-moment decay
 * @param epsilon added to the bias-corrected root of the second moment
 */
public record AdamW(float beta1, float beta2, float epsilon) implements UpdateRule {

    public static final String NAME = "adamw";

    public AdamW {
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && epsilon > 0)) {
            throw new IllegalArgumentException("invalid AdamW settings: betas " + beta1 + ", " + beta2 + ", epsilon "
                    + epsilon);
        }
    }

    /** betas 0.9/0.999, eps 1e-8 (PyTorch's and the HuggingFace Trainer's). */
    public static AdamW defaults() {
        return new AdamW(0.9f, 0.999f, 1e-8f);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> slots() {
        return List.of("m", "v");
    }

    @Override
    public void update(NDArray p, NDArray g, Map<String, NDArray> state, float learningRate, int step) {
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        NDArray m = state.get("m").muli(beta1).addi(g.mul(1 - beta1));
        NDArray v = state.get("v").muli(beta2).addi(g.mul(g).muli(1 - beta2));
        NDArray denom = v.sqrt().divi((float) Math.sqrt(bc2)).addi(epsilon);
        p.subi(m.div(denom).muli((float) (learningRate / bc1)));
    }
}
