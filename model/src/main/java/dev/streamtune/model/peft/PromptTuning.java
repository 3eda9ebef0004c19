package dev.streamtune.model.peft;

import dev.streamtune.model.BertConfig;
import dev.streamtune.model.nn.PeftSlots;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Prompt tuning (Lester et al. 2021): {@code tokens} trainable virtual tokens every text is read with. They join
 * after the embeddings layer (vectors in its output space, no position), every layer attends to them, and pooling
 * leaves them out. Each starts as the embeddings layer's output for a random vocabulary word (the paper's
 * "sampled vocabulary" initialisation, better than random vectors), so it is a plausible token from the start.
 *
 * @param tokens number of virtual tokens P (setting {@code size}) (P x hidden weights in all)
 */
public record PromptTuning(int tokens) implements PeftMethod {

    public static final String KIND = "prompt-tuning";
    public static final int DEFAULT_TOKENS = 10;
    /** BERT vocabularies keep [PAD], [unused*] and special tokens below this id: words start above it. */
    private static final int FIRST_WORD_ID = 1000;

    public PromptTuning {
        PeftMethods.requirePositive(tokens, KIND);
    }

    static PromptTuning fromSettings(Map<String, String> settings) {
        return new PromptTuning(PeftMethods.size(settings, KIND, DEFAULT_TOKENS));
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Map<String, String> settings() {
        return PeftMethods.sizeSettings(tokens);
    }

    @Override
    public Map<String, long[]> shapes(BertConfig base) {
        return Map.of(PeftSlots.PROMPT, new long[] {tokens, base.hiddenSize()});
    }

    /** LayerNorm(word + token type 0) of random words, with the embeddings layer's own LayerNorm weights. */
    @Override
    public float[] initialValues(String name, long[] shape, BertConfig base, Function<String, float[]> baseWeights,
            SplittableRandom random) {
        int h = base.hiddenSize();
        float[] words = baseWeights.apply("embeddings.word_embeddings.weight");
        float[] type0 = baseWeights.apply("embeddings.token_type_embeddings.weight");
        float[] gamma = baseWeights.apply("embeddings.LayerNorm.weight");
        float[] beta = baseWeights.apply("embeddings.LayerNorm.bias");
        int firstWord = base.vocabSize() > 2 * FIRST_WORD_ID ? FIRST_WORD_ID : 0;
        float[] out = new float[Math.toIntExact(shape[0] * shape[1])];
        for (int row = 0; row < shape[0]; row++) {
            int id = firstWord + random.nextInt(base.vocabSize() - firstWord);
            double[] x = new double[h];
            double mean = 0;
            for (int i = 0; i < h; i++) {
                x[i] = words[id * h + i] + type0[i];
                mean += x[i] / h;
            }
            double var = 0;
            for (int i = 0; i < h; i++) {
                var += (x[i] - mean) * (x[i] - mean) / h;
            }
            double inv = 1 / Math.sqrt(var + base.layerNormEps());
            for (int i = 0; i < h; i++) {
                out[row * h + i] = (float) ((x[i] - mean) * inv * gamma[i] + beta[i]);
            }
        }
        return out;
    }
}
