package dev.streamtune.model;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;

/**
 * What a {@link LossTerm} may read during one training step of a {@link TrainingSession}: the batch, the student's
 * logits for it (still on the autograd tape, so a term built from them is differentiated with the loss) and the live
 * trainable parameters.
 *
 * <p>Valid only inside {@link LossTerm#compute(ForwardPass)}: the logits belong to the step's NDManager, closed when
 * the step ends.
 *
 * @param batch      the examples, in the logits' row order
 * @param logits     {@code [batch, labels]}, the classifier's output with dropout as in training
 * @param parameters the live trainable parameters by name ({@link TextClassifier#trainableParameterNames()})
 */
public record ForwardPass(List<LabeledText> batch, NDArray logits, Map<String, NDArray> parameters) {

    /**
     * Each example's share of the batch, {@code w_i / sum_j w_j} from {@link LabeledText#weight()}: the weights the
     * session's cross-entropy averages with, so a batch term averaged with them treats a weight-2 example as two
     * copies, as the cross-entropy does.
     */
    public double[] exampleShares() {
        return exampleShares(batch);
    }

    static double[] exampleShares(List<LabeledText> batch) {
        double total = 0;
        for (LabeledText example : batch) {
            total += example.weight();
        }
        double[] shares = new double[batch.size()];
        for (int i = 0; i < shares.length; i++) {
            shares[i] = batch.get(i).weight() / total;
        }
        return shares;
    }
}
