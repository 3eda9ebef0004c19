package dev.streamtune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.streamtune.model.nn.MeanPooling;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a classifier over texts in inference mode (no dropout, no autograd graph, flush-to-zero) in batches of
 * similar length, as {@link TextClassifier#predict} does, and returns one row of floats per text: the logits
 * ({@link TeacherLogits}) or the mean-pooled encoder output ({@link ClassPrototypes}). Each batch works in its own
 * short-lived NDManager.
 */
final class InferencePass {

    private static final int BATCH = 64;

    /** Which output of the classifier a pass returns. */
    enum Output {
        /** {@code [labels]} per text: the head's output before softmax. */
        LOGITS,
        /** {@code [hidden]} per text: the adapted encoder's mean-pooled last layer, what the head sees. */
        POOLED
    }

    private InferencePass() {
    }

    /**
     * @return {@code [texts.size()][width]} in the order of {@code texts}
     */
    static float[][] run(TextClassifier classifier, List<String> texts, Output output) {
        float[][] out = new float[texts.size()][];
        if (texts.isEmpty()) {
            return out;
        }
        int maxLength = classifier.config().maxSequenceLength();
        int width = output == Output.LOGITS ? classifier.labels().size() : classifier.base().config().hiddenSize();
        try (Lifecycle.Lease lease = classifier.acquire(); Torch.Scope torch = Torch.enter(false)) {
            long[][] seqs = TokenBatch.encodeAll(classifier.base().tokenizer(), texts, maxLength);
            for (int[] chunk : TokenBatch.chunksByLength(seqs, BATCH)) {
                float[] values;
                try (NDManager request = classifier.manager().newSubManager()) {
                    NDList inputs = TokenBatch.of(seqs, chunk, maxLength).toInputs(request);
                    ParameterStore ps = new ParameterStore(request, false);
                    NDArray result;
                    if (output == Output.LOGITS) {
                        result = classifier.classifierBlock().forward(ps, inputs, false).head();
                    } else {
                        NDArray hidden = classifier.classifierBlock().encoder().forward(ps, inputs, false).head();
                        result = MeanPooling.apply(hidden, inputs.size() > 2 ? inputs.get(2) : null);
                    }
                    values = result.toFloatArray();
                }
                for (int k = 0; k < chunk.length; k++) {
                    out[chunk[k]] = Arrays.copyOfRange(values, k * width, (k + 1) * width);
                }
            }
        }
        return out;
    }

    /** Number of batches {@link #run} uses for {@code texts} texts. */
    static int batches(int texts) {
        return (texts + BATCH - 1) / BATCH;
    }
}
