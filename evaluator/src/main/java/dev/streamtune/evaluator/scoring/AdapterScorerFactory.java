package dev.streamtune.evaluator.scoring;

/** Opens an adapter artifact onto the base model, checking its checksum first. */
public interface AdapterScorerFactory {

    /** @throws IllegalArgumentException when the artifact is missing, corrupt, or made for another base model */
    AdapterScorer open(String artifactUri, String sha256);

    /** The engine adapters are scored on: the one serving runs. */
    dev.streamtune.model.InferenceEngine engine();

    /**
     * The base model's sentence embeddings (mean-pooled last layer) of {@code texts}, each cut to {@code maxTokens}
     * tokens: what embedding drift compares.
     */
    float[][] embed(java.util.List<String> texts, int maxTokens);
}
