package dev.streamtune.model;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Grows a classification head for labels appended to a task: the old rows (weights and bias) are kept exactly, so
 * the old classes' logits are unchanged for every input, and one row is added per new label.
 *
 * <p>How a new row starts is {@link NewRows}; {@link NewRows#DEFAULT} was picked by measurement (trainer
 * {@code HeadInitComparison}; figures on {@code DEFAULT} and in model/README.md).
 */
public final class HeadGrowth {

    /** How the rows of new labels start. */
    public enum NewRows {
        /**
         * Weights and bias the mean of the old rows: the new logit is the mean of the old logits, so it is below the
         * best old one for every input (equal only if all old logits tie) and no old prediction changes before
         * training. It starts in the direction the old classes share rather than an arbitrary one.
         */
        MEAN_OF_OLD,
        /**
         * As {@link #MEAN_OF_OLD}, plus N(0, 0.02) noise on each new row's weights: rows appended together no longer
         * start identical (identical rows get identical gradients from every old-label example, which slows telling
         * the new labels apart).
         */
        MEAN_OF_OLD_JITTERED,
        /** Weights zero, bias the smallest old bias: the new logit is a constant below or at the old biases. */
        ZERO_BELOW_OLD,
        /** As a fresh head: weights from N(0, 0.02) (BERT's initializer range), bias zero. */
        SMALL_RANDOM;

        /**
         * Measured (trainer's HeadInitComparison: MiniLM, replay + EWC, 3 labels grown by 2, a window of only the new
         * labels; old-label / new-label test accuracy after 12 steps, parent 0.933 on the old labels):
         * MEAN_OF_OLD 0.956 / 0.733, ZERO_BELOW_OLD 0.933 / 0.800, SMALL_RANDOM 0.922 / 1.000,
         * MEAN_OF_OLD_JITTERED 0.944 / 0.967. Without jitter the new rows start identical and separate slowly; pure
         * random rows learn fastest but cost old-label accuracy. The jittered mean keeps the old labels best of the
         * rules that learn the new ones at speed. (Before any training it moves some old predictions of a weakly
         * trained head, 0.933 -> 0.822; MEAN_OF_OLD moves none. A grown head is always trained before it is a
         * candidate.)
         */
        public static final NewRows DEFAULT = MEAN_OF_OLD_JITTERED;
    }

    /**
     * A head's parameters as plain arrays.
     *
     * @param weight {@code [rows, hidden]} row-major: row {@code i} is label {@code i}'s weights
     * @param bias   {@code [rows]}
     */
    public record Head(int rows, int hidden, float[] weight, float[] bias) {
        public Head {
            if (rows < 1 || hidden < 1 || weight.length != rows * hidden || bias.length != rows) {
                throw new IllegalArgumentException("a head of " + rows + " x " + hidden + " cannot have "
                        + weight.length + " weights and " + bias.length + " biases");
            }
        }
    }

    private static final float SMALL_RANDOM_STD = 0.02f;

    private HeadGrowth() {
    }

    /**
     * {@code head} with rows added up to {@code rows}; the old rows are copied bit for bit.
     *
     * @param seed draws {@link NewRows#SMALL_RANDOM} weights (unused by the other rules)
     * @throws IllegalArgumentException when {@code rows} is fewer than the head has (a head never shrinks)
     */
    public static Head grow(Head head, int rows, NewRows rule, long seed) {
        if (rows < head.rows()) {
            throw new IllegalArgumentException("a head never shrinks: it has " + head.rows() + " rows, asked for "
                    + rows);
        }
        int h = head.hidden();
        float[] weight = Arrays.copyOf(head.weight(), rows * h);
        float[] bias = Arrays.copyOf(head.bias(), rows);
        float[] newWeights = new float[h];
        float newBias = 0f;
        if (rule == NewRows.MEAN_OF_OLD || rule == NewRows.MEAN_OF_OLD_JITTERED) {
            double[] sum = new double[h];
            double biasSum = 0;
            for (int r = 0; r < head.rows(); r++) {
                for (int j = 0; j < h; j++) {
                    sum[j] += head.weight()[r * h + j];
                }
                biasSum += head.bias()[r];
            }
            for (int j = 0; j < h; j++) {
                newWeights[j] = (float) (sum[j] / head.rows());
            }
            newBias = (float) (biasSum / head.rows());
        } else if (rule == NewRows.ZERO_BELOW_OLD) {
            newBias = head.bias()[0];
            for (float b : head.bias()) {
                newBias = Math.min(newBias, b);
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int r = head.rows(); r < rows; r++) {
            if (rule == NewRows.SMALL_RANDOM) {
                for (int j = 0; j < h; j++) {
                    weight[r * h + j] = (float) (SeededDraws.standardNormal(random) * SMALL_RANDOM_STD);
                }
            } else if (rule == NewRows.MEAN_OF_OLD_JITTERED) {
                for (int j = 0; j < h; j++) {
                    weight[r * h + j] = newWeights[j] + (float) (SeededDraws.standardNormal(random) * SMALL_RANDOM_STD);
                }
            } else {
                System.arraycopy(newWeights, 0, weight, r * h, h);
            }
            bias[r] = newBias;
        }
        return new Head(rows, h, weight, bias);
    }
}
