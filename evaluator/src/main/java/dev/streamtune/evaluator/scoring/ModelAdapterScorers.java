package dev.streamtune.evaluator.scoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.streamtune.model.AdapterArtifact;
import dev.streamtune.model.BaseModel;
import dev.streamtune.model.BaseModelSource;
import dev.streamtune.model.Prediction;
import dev.streamtune.model.TextClassifier;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens adapters on the base model, which is loaded once for the evaluator's lifetime; only files in the adapter
 * store ({@code $STREAMTUNE_HOME/adapters}) are opened.
 */
@Singleton
public final class ModelAdapterScorers implements AdapterScorerFactory, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelAdapterScorers.class);
    /** Texts per forward pass: large enough to keep the matmuls efficient, small enough to bound memory. */
    private static final int BATCH = 64;

    private final BaseModel base;
    private final Path store;

    public ModelAdapterScorers(@Value("${streamtune.model.base-dir:}") String baseModelDirectory,
                               @Value("${streamtune.home}") String home,
                               @Value("${evaluator.frozen-layer-cache-mb}") long frozenLayerCacheMb) {
        this.store = AdapterArtifact.storeUnder(Path.of(home));
        try {
            long started = System.nanoTime();
            this.base = BaseModelSource.load(baseModelDirectory);
            LOG.info("Base model {} loaded in {} ms", base.id(), (System.nanoTime() - started) / 1_000_000);
            base.cacheFrozenLayers(frozenLayerCacheMb * 1024L * 1024L);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load the base model", e);
        }
    }

    @Override
    public AdapterScorer open(String artifactUri, String sha256) {
        try {
            TextClassifier classifier = TextClassifier.load(base,
                    AdapterArtifact.of(artifactUri, sha256).verifiedPath(store));
            return new ClassifierScorer(classifier);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The base model every adapter is opened on. */
    public BaseModel base() {
        return base;
    }

    @PreDestroy
    @Override
    public void close() {
        base.close();
    }

    private record ClassifierScorer(TextClassifier classifier) implements AdapterScorer {

        @Override
        public List<Map<String, Double>> predict(List<String> texts) {
            List<Map<String, Double>> result = new ArrayList<>(texts.size());
            for (int from = 0; from < texts.size(); from += BATCH) {
                for (Prediction prediction : classifier.predict(texts.subList(from, Math.min(texts.size(),
                        from + BATCH)))) {
                    Map<String, Double> probabilities = new LinkedHashMap<>();
                    for (String label : prediction.labels()) {
                        probabilities.put(label, (double) prediction.probability(label));
                    }
                    result.add(probabilities);
                }
            }
            return result;
        }

        @Override
        public List<String> labels() {
            return classifier.labels();
        }

        @Override
        public Optional<List<String>> learnedLabels() {
            return classifier.learnedLabels();
        }

        @Override
        public void close() {
            classifier.close();
        }
    }
}
