package dev.streamtune.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Nearest-class-mean classification on the encoder's embeddings: each label's prototype is the mean of its
 * examples' L2-normalised mean-pooled embeddings (through the classifier's adapted encoder, what its head sees), and a
 * text goes to the label whose prototype has the highest cosine similarity to its embedding.
 *
 * <p>Why: a prototype is computed from examples, not trained, so adding a label never moves another label's
 * prototype, and with a frozen (or slowly moving) encoder it neither forgets nor favours recent labels, the failure
 * weight aligning corrects in a trained head (see {@link HeadAlignment}). With pre-trained encoders such heads are a
 * strong class-incremental baseline (e.g. SimpleShot, Wang et al. 2019; ADAM/SimpleCIL, Zhou et al. 2023). Cost:
 * one inference pass per example to fit, {@code labels x hidden} floats to keep; a prototype fitted on one encoder
 * is stale once the encoder's adapter is trained further, so refit it (e.g. from the replay buffer) after a round.
 *
 * <p>Immutable; a building block (for scoring, or to initialise a grown head's rows), not wired into serving.
 */
public final class ClassPrototypes {

    private final Map<String, float[]> means;

    private ClassPrototypes(Map<String, float[]> means) {
        this.means = means;
    }

    /**
     * Prototypes from given embeddings, e.g. restored from a checkpoint or computed elsewhere.
     *
     * @param labels     each embedding's label; the prototypes keep the order of first appearance
     * @param embeddings one vector per label entry, all of the same length; none all zero
     */
    public static ClassPrototypes fromEmbeddings(List<String> labels, float[][] embeddings) {
        if (labels.size() != embeddings.length || labels.isEmpty()) {
            throw new IllegalArgumentException(labels.size() + " labels for " + embeddings.length + " embeddings");
        }
        int width = embeddings[0].length;
        Map<String, double[]> sums = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < embeddings.length; i++) {
            if (embeddings[i].length != width) {
                throw new IllegalArgumentException("embeddings of lengths " + width + " and " + embeddings[i].length);
            }
            double norm = norm(embeddings[i]);
            if (norm == 0) {
                throw new IllegalArgumentException("a zero embedding has no direction");
            }
            double[] sum = sums.computeIfAbsent(labels.get(i), label -> new double[width]);
            for (int j = 0; j < width; j++) {
                sum[j] += embeddings[i][j] / norm;
            }
            counts.merge(labels.get(i), 1, Integer::sum);
        }
        Map<String, float[]> means = new LinkedHashMap<>();
        sums.forEach((label, sum) -> {
            float[] mean = new float[width];
            for (int j = 0; j < width; j++) {
                mean[j] = (float) (sum[j] / counts.get(label));
            }
            means.put(label, mean);
        });
        return new ClassPrototypes(means);
    }

    /**
     * Prototypes of {@code examples} through {@code classifier}'s adapted encoder (inference mode). Example weights
     * do not enter.
     */
    public static ClassPrototypes fit(TextClassifier classifier, List<LabeledText> examples) {
        List<String> texts = new ArrayList<>(examples.size());
        List<String> labels = new ArrayList<>(examples.size());
        for (LabeledText e : examples) {
            texts.add(e.text());
            labels.add(e.label());
        }
        return fromEmbeddings(labels, embed(classifier, texts));
    }

    /** Mean-pooled embeddings of {@code texts} through {@code classifier}'s adapted encoder (what its head sees). */
    public static float[][] embed(TextClassifier classifier, List<String> texts) {
        return InferencePass.run(classifier, texts, InferencePass.Output.POOLED);
    }

    /** The labels that have a prototype, in order of first appearance. */
    public List<String> labels() {
        return List.copyOf(means.keySet());
    }

    /** A copy of each label's prototype (mean of unit vectors, so its norm is at most 1). */
    public Map<String, float[]> means() {
        Map<String, float[]> copy = new LinkedHashMap<>();
        means.forEach((label, mean) -> copy.put(label, mean.clone()));
        return copy;
    }

    /** Cosine similarity of {@code embedding} to each prototype, in {@link #labels()} order. */
    public double[] cosines(float[] embedding) {
        double norm = norm(embedding);
        double[] out = new double[means.size()];
        int k = 0;
        for (float[] mean : means.values()) {
            if (mean.length != embedding.length) {
                throw new IllegalArgumentException("an embedding of " + embedding.length + " for prototypes of "
                        + mean.length);
            }
            double dot = 0;
            for (int j = 0; j < mean.length; j++) {
                dot += (double) mean[j] * embedding[j];
            }
            double denominator = norm * norm(mean);
            out[k++] = denominator == 0 ? 0 : dot / denominator;
        }
        return out;
    }

    /** The label whose prototype is most similar to {@code embedding} (the first one on a tie). */
    public String nearest(float[] embedding) {
        double[] cosines = cosines(embedding);
        int best = 0;
        for (int k = 1; k < cosines.length; k++) {
            if (cosines[k] > cosines[best]) {
                best = k;
            }
        }
        return labels().get(best);
    }

    /** The nearest label of each text through {@code classifier}'s adapted encoder. */
    public List<String> classify(TextClassifier classifier, List<String> texts) {
        List<String> out = new ArrayList<>(texts.size());
        for (float[] embedding : embed(classifier, texts)) {
            out.add(nearest(embedding));
        }
        return out;
    }

    private static double norm(float[] v) {
        double squares = 0;
        for (float x : v) {
            squares += (double) x * x;
        }
        return Math.sqrt(squares);
    }
}
