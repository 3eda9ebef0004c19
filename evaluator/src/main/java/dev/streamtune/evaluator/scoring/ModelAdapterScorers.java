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
import dev.streamtune.model.InferenceEngine;
import dev.streamtune.model.OnnxClassifier;
import dev.streamtune.model.OnnxSentenceEmbeddings;
import dev.streamtune.model.OnnxSharedTensors;
import dev.streamtune.model.Prediction;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.model.TextPredictor;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens adapters on the base model, which is loaded once for the evaluator's lifetime; only files in the adapter
 * store ({@code $STREAMTUNE_HOME/adapters}) are opened. Adapters are scored on the engine serving runs
 * ({@code streamtune.engine}): on the exact ones (pytorch, onnx-fp32) with the PyTorch classifier itself, whose
 * answers they reproduce to 1e-4 (and which uses the frozen-layer cache); on onnx-int8 with the int8 session serving
 * will run, the PyTorch classifier kept as its {@linkplain AdapterScorer#exact() exact counterpart}.
 */
@Singleton
public final class ModelAdapterScorers implements AdapterScorerFactory, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelAdapterScorers.class);
    /** Texts per forward pass: large enough to keep the matmuls efficient, small enough to bound memory. */
    private static final int BATCH = 64;

    private final BaseModel base;
    private final Path store;
    private final InferenceEngine engine;
    /** Sentence embeddings for drift, compiled at first use; guarded by this. */
    private OnnxSentenceEmbeddings embeddings;
    private int embeddingTokens;
    /** The word embeddings every int8 session shares; null on an exact engine. */
    private final OnnxSharedTensors shared;

    public ModelAdapterScorers(@Value("${streamtune.model.base-dir:}") String baseModelDirectory,
                               @Value("${streamtune.home}") String home,
                               @Value("${evaluator.frozen-layer-cache-mb}") long frozenLayerCacheMb,
                               @Value(InferenceEngine.PLACEHOLDER) String engine) {
        this.store = AdapterArtifact.storeUnder(Path.of(home));
        this.engine = InferenceEngine.named(engine);
        try {
            long started = System.nanoTime();
            this.base = BaseModelSource.load(baseModelDirectory);
            LOG.info("Base model {} loaded in {} ms", base.id(), (System.nanoTime() - started) / 1_000_000);
            base.cacheFrozenLayers(frozenLayerCacheMb * 1024L * 1024L);
            this.shared = this.engine.exact() ? null : OnnxSharedTensors.of(base);
            LOG.info("Candidates are scored on the {} engine (what serving runs)", this.engine.configName());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load the base model", e);
        }
    }

    @Override
    public AdapterScorer open(String artifactUri, String sha256) {
        try {
            TextClassifier classifier = TextClassifier.load(base,
                    AdapterArtifact.of(artifactUri, sha256).verifiedPath(store));
            if (engine.exact()) {
                return new EngineScorer(classifier, classifier);
            }
            try {
                return new EngineScorer(OnnxClassifier.compile(classifier, engine.precision(), 0, shared), classifier);
            } catch (RuntimeException e) {
                classifier.close();
                throw new IllegalArgumentException("adapter cannot be compiled for " + engine.configName() + ": "
                        + e.getMessage(), e);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The base model every adapter is opened on. */
    public BaseModel base() {
        return base;
    }

    /**
     * On ONNX Runtime with one thread whatever the scoring engine: the evaluator embeds while the trainer trains on
     * the same cores, and PyTorch's spinning workers in both slowed each other about threefold (model README).
     */
    @Override
    public synchronized float[][] embed(java.util.List<String> texts, int maxTokens) {
        if (embeddings == null || embeddingTokens != maxTokens) {
            if (embeddings != null) {
                embeddings.close();
            }
            embeddings = OnnxSentenceEmbeddings.compile(base, maxTokens, 1);
            embeddingTokens = maxTokens;
        }
        return embeddings.embed(texts);
    }

    @Override
    public InferenceEngine engine() {
        return engine;
    }

    @PreDestroy
    @Override
    public synchronized void close() {
        if (embeddings != null) {
            embeddings.close();
        }
        if (shared != null) {
            shared.close(); // freed with the last session still open
        }
        base.close();
    }

    /** Probabilities by label from predictions, in input order. */
    private static List<Map<String, Double>> byLabel(List<Prediction> predictions) {
        List<Map<String, Double>> result = new ArrayList<>(predictions.size());
        for (Prediction prediction : predictions) {
            Map<String, Double> probabilities = new LinkedHashMap<>();
            for (String label : prediction.labels()) {
                probabilities.put(label, (double) prediction.probability(label));
            }
            result.add(probabilities);
        }
        return result;
    }

    /**
     * An adapter as the engine runs it ({@code served}), with the classifier as trained: the same object on an exact
     * engine, else the {@linkplain #exact() exact counterpart}.
     */
    private static final class EngineScorer implements AdapterScorer {

        private final TextPredictor served;
        private final TextClassifier trained;

        EngineScorer(TextPredictor served, TextClassifier trained) {
            this.served = served;
            this.trained = trained;
        }

        @Override
        public List<Map<String, Double>> predict(List<String> texts) {
            List<Map<String, Double>> result = new ArrayList<>(texts.size());
            for (int from = 0; from < texts.size(); from += BATCH) {
                result.addAll(byLabel(served.predict(texts.subList(from, Math.min(texts.size(), from + BATCH)))));
            }
            return result;
        }

        @Override
        public List<String> labels() {
            return served.labels();
        }

        @Override
        public Optional<List<String>> learnedLabels() {
            return trained.learnedLabels();
        }

        @Override
        public Optional<AdapterScorer> exact() {
            // Not closed by the caller (see AdapterScorer#exact): closing this scorer closes both.
            return served == trained ? Optional.empty() : Optional.of(new EngineScorer(trained, trained));
        }

        @Override
        public void close() {
            try {
                served.close();
            } finally {
                trained.close(); // idempotent when it is the same object
            }
        }
    }
}
