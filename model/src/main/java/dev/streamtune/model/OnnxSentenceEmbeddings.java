package dev.streamtune.model;

import java.util.ArrayList;
import java.util.List;

import dev.streamtune.model.nn.ClassifierHead;
import dev.streamtune.model.onnx.ClassifierGraph;

/**
 * The base model's sentence embeddings (mean-pooled last layer, as {@link BaseModel#embed}) on ONNX Runtime, for a
 * service that embeds beside a trainer on the same cores. PyTorch's OpenMP workers in two processes spin against each
 * other (the evaluator's drift embeddings ran at a third of their speed and slowed training by as much); one ONNX
 * Runtime thread with no thread pool does not spin. Built from the classifier graph with an identity head, so the
 * graph's output is the pooled vector itself and the tokenisation, truncation and batching are the classifier's.
 */
public final class OnnxSentenceEmbeddings implements AutoCloseable {

    private final OnnxClassifier session;

    private OnnxSentenceEmbeddings(OnnxClassifier session) {
        this.session = session;
    }

    /**
     * @param maxTokens each text's tokens seen, [CLS] and [SEP] included
     * @param threads   ONNX Runtime threads per call (1: on the caller's thread, no pool)
     */
    public static OnnxSentenceEmbeddings compile(BaseModel base, int maxTokens, int threads) {
        int hidden = base.config().hiddenSize();
        List<String> dimensions = new ArrayList<>(hidden);
        for (int d = 0; d < hidden; d++) {
            dimensions.add("dim" + d);
        }
        float[] identity = new float[hidden * hidden];
        for (int d = 0; d < hidden; d++) {
            identity[d * hidden + d] = 1f;
        }
        // A fresh adapter's LoRA B is zero, so the merged projections are the base model's own.
        try (TextClassifier pooled = TextClassifier.create(base,
                ClassifierConfig.of(dimensions).withMaxSequenceLength(maxTokens))) {
            pooled.restore(java.util.Map.of(ClassifierHead.WEIGHT, identity, ClassifierHead.BIAS, new float[hidden]));
            return new OnnxSentenceEmbeddings(OnnxClassifier.compile(pooled, ClassifierGraph.Precision.FP32, threads));
        }
    }

    /** One vector of the base model's hidden size per text. Thread-safe. */
    public float[][] embed(List<String> texts) {
        return session.logits(texts);
    }

    @Override
    public void close() {
        session.close();
    }
}
