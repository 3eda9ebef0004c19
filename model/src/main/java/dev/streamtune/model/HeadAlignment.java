package dev.streamtune.model;

import dev.streamtune.model.HeadGrowth.Head;
import dev.streamtune.model.nn.ClassifierHead;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Weight aligning (Zhao et al., CVPR 2020, "Maintaining Discrimination and Fairness in Class Incremental
 * Learning"): a bias correction of the head after a round that added labels. Trained mostly on new-label examples,
 * the new labels' weight rows grow larger than the old ones and their logits win too often; scaling the new rows by
 *
 * <pre>
 *   gamma = mean_{old rows r} ||W_r||_2  /  mean_{new rows r} ||W_r||_2
 * </pre>
 *
 * gives both groups the same mean norm. Old rows are not touched, so the old labels' logits are unchanged. Costs one
 * pass over the head ({@code labels x hidden} floats), no data and no training.
 *
 * <p>The bias is kept as it is by default, as the authors' reference code does (PyCIL {@code weight_align} scales
 * {@code fc.weight} only); {@link Bias#SCALE} scales the new rows' biases by {@code gamma} too, so a new label's
 * whole logit is scaled. (The paper also clips head weights to be non-negative during training, which suits its
 * ReLU features; mean-pooled BERT features have both signs, so that part does not apply here.) With
 * {@code shrinkOnly} the new rows are only ever scaled down (gamma capped at 1), as some implementations do
 * (PyCIL's {@code WA} function, "weights are biased, align new norm" only when gamma &lt; 1): with replay the new
 * rows may come out smaller than the old, and scaling them up would then bias towards the new labels.
 */
public final class HeadAlignment {

    /** What happens to the new rows' biases. */
    public enum Bias {
        /** Biases unchanged (the reference implementation). */
        KEEP,
        /** Biases multiplied by gamma with the weights. */
        SCALE
    }

    /**
     * The result of aligning a head.
     *
     * @param head        the aligned head (old rows bit for bit as before)
     * @param gamma       the factor applied to the new rows (1 when nothing was changed)
     * @param oldMeanNorm mean L2 norm of the old rows' weights
     * @param newMeanNorm mean L2 norm of the new rows' weights before aligning
     */
    public record Aligned(Head head, double gamma, double oldMeanNorm, double newMeanNorm) {
    }

    private HeadAlignment() {
    }

    /**
     * Scales the rows from {@code oldRows} on so their mean weight norm equals the old rows' mean. Changes nothing
     * (gamma 1) when there are no new rows, when the new rows are all zero (nothing to scale), or with
     * {@code shrinkOnly} when the new rows are not larger than the old.
     *
     * @param oldRows how many leading rows are old labels (the teacher's / previous adapter's label count)
     * @throws IllegalArgumentException unless {@code 1 <= oldRows <= head.rows()}
     */
    public static Aligned align(Head head, int oldRows, Bias bias, boolean shrinkOnly) {
        if (oldRows < 1 || oldRows > head.rows()) {
            throw new IllegalArgumentException("a head of " + head.rows() + " rows cannot have " + oldRows
                    + " old rows");
        }
        return align(head, IntStream.range(0, oldRows).toArray(), IntStream.range(oldRows, head.rows()).toArray(),
                bias, shrinkOnly);
    }

    /**
     * As {@link #align(Head, int, Bias, boolean)} for any two disjoint sets of rows: a head whose labels were
     * declared before their examples came has rows that are neither old nor new (never trained), which take no part.
     *
     * @throws IllegalArgumentException when {@code oldRows} is empty, a row is out of range or in both sets
     */
    public static Aligned align(Head head, int[] oldRows, int[] newRows, Bias bias, boolean shrinkOnly) {
        boolean[] seen = new boolean[head.rows()];
        for (int[] rows : new int[][] {oldRows, newRows}) {
            for (int r : rows) {
                if (r < 0 || r >= head.rows() || seen[r]) {
                    throw new IllegalArgumentException("row " + r + " is out of range or in both sets (a head of "
                            + head.rows() + " rows)");
                }
                seen[r] = true;
            }
        }
        if (oldRows.length == 0) {
            throw new IllegalArgumentException("weight aligning needs at least one old row");
        }
        int h = head.hidden();
        double oldMean = meanNorm(head.weight(), h, oldRows);
        if (newRows.length == 0) {
            return new Aligned(head, 1.0, oldMean, Double.NaN);
        }
        double newMean = meanNorm(head.weight(), h, newRows);
        if (newMean == 0) {
            return new Aligned(head, 1.0, oldMean, newMean);
        }
        double gamma = oldMean / newMean;
        if (shrinkOnly && gamma >= 1) {
            return new Aligned(head, 1.0, oldMean, newMean);
        }
        float[] weight = Arrays.copyOf(head.weight(), head.weight().length);
        float[] biases = Arrays.copyOf(head.bias(), head.bias().length);
        for (int r : newRows) {
            for (int i = r * h; i < (r + 1) * h; i++) {
                weight[i] = (float) (weight[i] * gamma);
            }
            if (bias == Bias.SCALE) {
                biases[r] = (float) (biases[r] * gamma);
            }
        }
        return new Aligned(new Head(head.rows(), h, weight, biases), gamma, oldMean, newMean);
    }

    /**
     * Aligns {@code classifier}'s head in place (through {@link TextClassifier#restore}, so an open training session
     * keeps working on the same arrays), e.g. after a round in which labels were appended.
     *
     * @param oldLabelCount the previous adapter's label count (its labels are the first ones of this head)
     * @return the alignment, for the round's log and lineage (gamma, norms)
     */
    public static Aligned alignNewRows(TextClassifier classifier, int oldLabelCount, Bias bias, boolean shrinkOnly) {
        List<String> labels = classifier.labels();
        return alignLabels(classifier, labels.subList(0, oldLabelCount), labels.subList(oldLabelCount, labels.size()),
                bias, shrinkOnly);
    }

    /**
     * Aligns the rows of {@code newLabels} to those of {@code oldLabels} in place (rows of other labels untouched).
     *
     * @throws IllegalArgumentException for a label the head does not have, or no old labels
     */
    public static Aligned alignLabels(TextClassifier classifier, Collection<String> oldLabels,
                                      Collection<String> newLabels, Bias bias, boolean shrinkOnly) {
        Map<String, float[]> values = classifier.snapshot();
        Head head = new Head(classifier.labels().size(), classifier.base().config().hiddenSize(),
                values.get(ClassifierHead.WEIGHT), values.get(ClassifierHead.BIAS));
        ClassifierConfig config = classifier.config();
        Aligned aligned = align(head, oldLabels.stream().mapToInt(config::labelIndex).toArray(),
                newLabels.stream().mapToInt(config::labelIndex).toArray(), bias, shrinkOnly);
        if (aligned.gamma() != 1.0) {
            Map<String, float[]> update = new LinkedHashMap<>();
            update.put(ClassifierHead.WEIGHT, aligned.head().weight());
            update.put(ClassifierHead.BIAS, aligned.head().bias());
            classifier.restore(update);
        }
        return aligned;
    }

    /** Mean over {@code rows} of each row's L2 norm, in double. */
    static double meanNorm(float[] weight, int hidden, int[] rows) {
        double sum = 0;
        for (int r : rows) {
            double squares = 0;
            for (int j = 0; j < hidden; j++) {
                double w = weight[r * hidden + j];
                squares += w * w;
            }
            sum += Math.sqrt(squares);
        }
        return sum / rows.length;
    }
}
