package dev.streamtune.model;

import dev.streamtune.model.peft.PeftMethod;
import java.util.HashSet;
import java.util.List;

/**
 * What a classifier on top of a base model looks like; stored in its adapter file.
 *
 * @param labels the label set, in logit order; at least two, distinct
 * @param lora adapter settings
 * @param trainableTopLayers how many of the top encoder layers are fully fine-tuned (their weights are copied
 *     out of the shared base and stored in the adapter file); 0 for LoRA only
 * @param hiddenDropout dropout after the embeddings and after each attention/FFN output, while training
 * @param attentionDropout dropout on attention probabilities while training. Off by default: on CPU its mask
 *     over [batch, heads, tokens, tokens] costs about as much as the attention matmuls themselves
 * @param classifierDropout dropout on the pooled vector before the head, while training
 * @param maxSequenceLength longer texts are truncated to this many tokens (including [CLS] and [SEP])
 * @param seed seeds adapter/head initialisation and dropout
 * @param peft a parameter-efficient method beside (or instead of) LoRA: bottleneck adapters, prefix or prompt
 *     tuning; null for none
 */
public record ClassifierConfig(List<String> labels, LoraConfig lora, int trainableTopLayers, float hiddenDropout,
        float attentionDropout, float classifierDropout, int maxSequenceLength, long seed, PeftMethod peft) {

    public ClassifierConfig {
        labels = List.copyOf(labels);
        if (labels.size() < 2 || new HashSet<>(labels).size() != labels.size()) {
            throw new IllegalArgumentException("need at least two distinct labels: " + labels);
        }
        if (trainableTopLayers < 0) {
            throw new IllegalArgumentException("trainableTopLayers must be >= 0: " + trainableTopLayers);
        }
        for (float p : new float[] {hiddenDropout, attentionDropout, classifierDropout}) {
            if (!(p >= 0 && p < 1)) {
                throw new IllegalArgumentException("dropout must be in [0, 1): " + p);
            }
        }
        if (maxSequenceLength < 2) {
            throw new IllegalArgumentException("maxSequenceLength must be >= 2: " + maxSequenceLength);
        }
    }

    /** Without a method beside LoRA. */
    public ClassifierConfig(List<String> labels, LoraConfig lora, int trainableTopLayers, float hiddenDropout,
            float attentionDropout, float classifierDropout, int maxSequenceLength, long seed) {
        this(labels, lora, trainableTopLayers, hiddenDropout, attentionDropout, classifierDropout, maxSequenceLength,
                seed, null);
    }

    /** Default LoRA, no unfrozen layers, BERT's 0.1 hidden/classifier dropout, 128 tokens, seed 42. */
    public static ClassifierConfig of(List<String> labels) {
        return new ClassifierConfig(labels, LoraConfig.defaults(), 0, 0.1f, 0f, 0.1f, 128, 42L);
    }

    /**
     * The same settings with {@code method} trained beside the LoRA settings (pass {@link LoraConfig#none()} to
     * {@link #withLora} for the method alone); null for none.
     */
    public ClassifierConfig withPeft(PeftMethod method) {
        return new ClassifierConfig(labels, lora, trainableTopLayers, hiddenDropout, attentionDropout,
                classifierDropout, maxSequenceLength, seed, method);
    }

    /** The same settings for another label set (e.g. with labels appended; see {@link TextClassifier#adapted}). */
    public ClassifierConfig withLabels(List<String> newLabels) {
        return new ClassifierConfig(newLabels, lora, trainableTopLayers, hiddenDropout, attentionDropout,
                classifierDropout, maxSequenceLength, seed, peft);
    }

    public ClassifierConfig withLora(LoraConfig newLora) {
        return new ClassifierConfig(labels, newLora, trainableTopLayers, hiddenDropout, attentionDropout,
                classifierDropout, maxSequenceLength, seed, peft);
    }

    public ClassifierConfig withTrainableTopLayers(int n) {
        return new ClassifierConfig(labels, lora, n, hiddenDropout, attentionDropout, classifierDropout,
                maxSequenceLength, seed, peft);
    }

    public ClassifierConfig withDropout(float hidden, float attention, float classifier) {
        return new ClassifierConfig(labels, lora, trainableTopLayers, hidden, attention, classifier,
                maxSequenceLength, seed, peft);
    }

    public ClassifierConfig withMaxSequenceLength(int n) {
        return new ClassifierConfig(labels, lora, trainableTopLayers, hiddenDropout, attentionDropout,
                classifierDropout, n, seed, peft);
    }

    public ClassifierConfig withSeed(long newSeed) {
        return new ClassifierConfig(labels, lora, trainableTopLayers, hiddenDropout, attentionDropout,
                classifierDropout, maxSequenceLength, newSeed, peft);
    }

    /**
     * How many bottom encoder layers of a {@code numLayers}-layer base have nothing to train: those below the first
     * LoRA layer and below the unfrozen top layers (all of them when only the head trains). They, and the
     * embeddings under them, run without dropout even while training, so their output is a function of the text
     * that can be computed once and reused ({@link BaseModel#cacheFrozenLayers}). 0 when LoRA adapts every layer:
     * then the embeddings' dropout applies while training, as in BERT.
     */
    public int frozenBottomLayers(int numLayers) {
        if (peft != null) {
            return 0; // every method there is changes every layer (a prompt enters below the first)
        }
        int belowAdapters = lora.enabled() ? Math.min(lora.firstLayer(), numLayers) : numLayers;
        return Math.max(0, Math.min(belowAdapters, numLayers - trainableTopLayers));
    }

    /** Index of {@code label} in {@link #labels()}. */
    public int labelIndex(String label) {
        int i = labels.indexOf(label);
        if (i < 0) {
            throw new IllegalArgumentException("unknown label '" + label + "', expected one of " + labels);
        }
        return i;
    }
}
