package dev.streamtune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Learning without Forgetting (Li & Hoiem 2017): knowledge distillation from the previous adapter. For each example
 * of the batch, with teacher logits {@code t} (the {@code k} labels the teacher knew) and the student's first
 * {@code k} logits {@code s}:
 *
 * <pre>
 *   term = strength * T^2 * sum_i (w_i / sum_j w_j) * KL( softmax(t_i / T) || softmax(s_i / T) )
 * </pre>
 *
 * <p>Heads grow by appending labels and old columns keep their order, so the teacher's columns are the student's
 * first {@code k}; the new labels' logits take no part (the student is free to learn them). The example weights are
 * those the session's cross-entropy averages with ({@link ForwardPass#exampleShares()}). The {@code T^2} keeps the
 * gradient's scale independent of {@code T} (Hinton et al. 2015): {@code d term / d s_ij = strength * T * share_i *
 * (softmax(s_i/T)_j - softmax(t_i/T)_j)}.
 *
 * <p>The teacher side is constant: its probabilities are computed in Java (in double) from cached logits
 * ({@link TeacherLogits}) and enter the graph as one constant array; the term is {@code -sum coef * logSoftmax(s/T)
 * + const}, where {@code const = strength T^2 sum share_i q_ij log q_ij} makes the value the KL (0 when the student
 * agrees with the teacher). The temperature enters as an array, not {@code mul(Number)} (see {@link LossTerm}).
 */
public final class DistillationLoss implements BatchLossTerm {

    private final TeacherLogits teacher;
    private final float temperature;
    private final float strength;

    /**
     * @param teacher     the previous adapter's logits
     * @param temperature softens both distributions (LwF uses 2); positive
     * @param strength    the term's weight against the cross-entropy (LwF's lambda); non-negative
     */
    public DistillationLoss(TeacherLogits teacher, float temperature, float strength) {
        if (!(temperature > 0) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be positive and finite, not " + temperature);
        }
        if (!(strength >= 0) || Float.isInfinite(strength)) {
            throw new IllegalArgumentException("strength must be non-negative and finite, not " + strength);
        }
        this.teacher = teacher;
        this.temperature = temperature;
        this.strength = strength;
    }

    public float temperature() {
        return temperature;
    }

    public float strength() {
        return strength;
    }

    @Override
    public NDArray compute(NDArray logits, List<LabeledText> batch) {
        int k = teacher.labelCount();
        long classes = logits.getShape().get(1);
        if (classes < k || logits.getShape().get(0) != batch.size()) {
            throw new IllegalArgumentException("logits of shape " + logits.getShape() + " for a batch of "
                    + batch.size() + " cannot be distilled from a teacher of " + k + " labels");
        }
        List<String> texts = new ArrayList<>(batch.size());
        batch.forEach(example -> texts.add(example.text()));
        Targets targets = targets(teacher.logits(texts), ForwardPass.exampleShares(batch), temperature, strength);
        NDManager step = logits.getManager();
        NDArray old = classes == k ? logits : logits.get(":, :{}", k);
        NDArray scaled = old.mul(step.full(new Shape(), 1f / temperature));
        NDArray cross = scaled.logSoftmax(1).mul(step.create(targets.coefficients(), new Shape(batch.size(), k))).sum();
        return cross.add(step.full(new Shape(), (float) targets.constant()));
    }

    /**
     * The constants of the term for a batch: {@code coefficients[i*k + j] = -strength T^2 share_i q_ij} and
     * {@code constant = strength T^2 sum_ij share_i q_ij log q_ij}, with {@code q_i = softmax(t_i / T)}.
     */
    record Targets(float[] coefficients, double constant) {
    }

    static Targets targets(float[][] teacherLogits, double[] shares, float temperature, float strength) {
        int k = teacherLogits.length == 0 ? 0 : teacherLogits[0].length;
        float[] coefficients = new float[teacherLogits.length * k];
        double constant = 0;
        double scale = (double) strength * temperature * temperature;
        for (int i = 0; i < teacherLogits.length; i++) {
            double[] q = softmax(teacherLogits[i], temperature);
            for (int j = 0; j < k; j++) {
                coefficients[i * k + j] = (float) (-scale * shares[i] * q[j]);
                if (q[j] > 0) {
                    constant += scale * shares[i] * q[j] * Math.log(q[j]);
                }
            }
        }
        return new Targets(coefficients, constant);
    }

    /**
     * The term's value computed in plain Java (double), the reference the tests hold the NDArray version to.
     *
     * @param studentLogits {@code [batch][>= k]}; columns past the teacher's are ignored
     */
    static double reference(float[][] teacherLogits, float[][] studentLogits, double[] shares, float temperature,
            float strength) {
        double total = 0;
        for (int i = 0; i < teacherLogits.length; i++) {
            int k = teacherLogits[i].length;
            double[] q = softmax(teacherLogits[i], temperature);
            double[] p = softmax(Arrays.copyOf(studentLogits[i], k), temperature);
            double kl = 0;
            for (int j = 0; j < k; j++) {
                if (q[j] > 0) {
                    kl += q[j] * (Math.log(q[j]) - Math.log(p[j]));
                }
            }
            total += shares[i] * kl;
        }
        return strength * temperature * temperature * total;
    }

    /** {@code softmax(z / T)} in double, shifted by the maximum so no exponent overflows. */
    static double[] softmax(float[] z, float temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : z) {
            max = Math.max(max, v / (double) temperature);
        }
        double[] out = new double[z.length];
        double sum = 0;
        for (int j = 0; j < z.length; j++) {
            out[j] = Math.exp(z[j] / (double) temperature - max);
            sum += out[j];
        }
        for (int j = 0; j < z.length; j++) {
            out[j] /= sum;
        }
        return out;
    }
}
