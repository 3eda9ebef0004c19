package dev.streamtune.serving.adapter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

import dev.streamtune.model.AdapterArtifact;
import dev.streamtune.model.AdapterLoadException;
import dev.streamtune.model.BaseModel;
import dev.streamtune.model.BaseModelSource;
import dev.streamtune.model.CorruptAdapterException;
import dev.streamtune.model.InferenceEngine;
import dev.streamtune.model.OnnxClassifier;
import dev.streamtune.model.OnnxSharedTensors;
import dev.streamtune.model.Prediction;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.model.TextPredictor;
import dev.streamtune.schema.Deployment;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads adapters onto the base model, which is loaded once for the life of the process and shared by every
 * adapter, and prepares them for the configured {@link InferenceEngine}: the PyTorch classifier itself, or an
 * ONNX Runtime session compiled from it (LoRA merged; fp32 or int8). Owns the base model's native memory; each
 * {@link TextPredictor} owns its adapter's.
 */
@Singleton
public final class ModelAdapterLoader implements AdapterLoader, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelAdapterLoader.class);
    /**
     * Run through a new adapter before it takes traffic, one short and one long text in one batch and one alone,
     * so its first real requests do not pay for first-touch allocations, and a broken adapter fails here.
     */
    private static final List<String> WARM_UP = List.of("thanks, that worked",
            "the parcel arrived two days late and the box was damaged, but support answered quickly and sent a "
                    + "replacement the next morning, so overall I am satisfied with how it was handled");

    private final BaseModel base;
    /** Adapters are read from here only ({@code $STREAMTUNE_HOME/adapters}). */
    private final Path store;
    private final InferenceEngine engine;
    private final int intraOpThreads;
    /** The base model's word embeddings, one copy for every ONNX session; null on the PyTorch engine. */
    private final OnnxSharedTensors shared;

    /**
     * @param engine         {@code pytorch}, {@code onnx-fp32} or {@code onnx-int8}
     * @param intraOpThreads threads within one forward pass, either engine; 0 keeps the engine's default (one per
     *                       core)
     */
    public ModelAdapterLoader(@Value("${streamtune.model.base-dir:}") String baseModelDirectory,
                              @Value(InferenceEngine.PLACEHOLDER) String engine,
                              @Value("${serving.batch.intra-op-threads:0}") int intraOpThreads,
                              @Value("${streamtune.home}") String home) {
        this.store = AdapterArtifact.storeUnder(Path.of(home));
        this.engine = InferenceEngine.named(engine);
        this.intraOpThreads = intraOpThreads;
        if (intraOpThreads > 0) {
            // Read by DJL when the engine starts; set again below in case it had started already (tests, bench).
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(intraOpThreads));
        }
        try {
            long started = System.nanoTime();
            this.base = BaseModelSource.load(baseModelDirectory);
            LOG.info("Base model {} loaded in {} ms; adapters run on the {} engine", base.id(),
                    (System.nanoTime() - started) / 1_000_000, this.engine.configName());
            if (intraOpThreads > 0) {
                ai.djl.pytorch.jni.JniUtils.setNumThreads(intraOpThreads);
            }
            this.shared = this.engine == InferenceEngine.PYTORCH ? null : OnnxSharedTensors.of(base);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load the base model", e);
        }
    }

    /**
     * One load at a time: the champions' and the rollout candidates' registries each load on a thread of their own,
     * and both attach the new adapter's arrays to the one base model's native memory.
     */
    @Override
    public synchronized TextPredictor load(Deployment deployment) throws AdapterLoadException {
        if (!base.id().equals(deployment.getBaseModelId())) {
            LOG.warn("Deployment of {} names base model {}, this process runs {}; the adapter file's checksum decides",
                    deployment.getAdapterId(), deployment.getBaseModelId(), base.id());
        }
        Path file;
        try {
            file = AdapterArtifact.of(deployment.getArtifactUri(), deployment.getArtifactSha256()).verifiedPath(store);
        } catch (IllegalArgumentException e) {
            throw new AdapterLoadException(e.getMessage(), e);
        }
        TextClassifier classifier;
        try {
            classifier = TextClassifier.load(base, file);
        } catch (AdapterLoadException e) {
            throw e;
        } catch (IOException e) {
            throw new AdapterLoadException("Adapter " + deployment.getAdapterId() + " cannot be read", e);
        } catch (RuntimeException e) {
            throw new CorruptAdapterException("Adapter " + deployment.getAdapterId() + " is corrupt: it cannot be "
                    + "loaded (" + e.getClass().getSimpleName() + ")", e);
        }
        TextPredictor model;
        if (engine == InferenceEngine.PYTORCH) {
            model = classifier;
        } else {
            try {
                model = OnnxClassifier.compile(classifier, engine.precision(), intraOpThreads, shared);
            } catch (RuntimeException e) {
                throw new AdapterLoadException("Adapter " + deployment.getAdapterId() + " cannot be compiled for "
                        + engine.configName() + ": " + e.getMessage(), e);
            } finally {
                classifier.close(); // the session holds its own (merged) copy of every weight
            }
        }
        try {
            List<Prediction> warmUp = new java.util.ArrayList<>(model.predict(WARM_UP));
            warmUp.addAll(model.predict(WARM_UP.subList(0, 1)));
            if (!warmUp.stream().allMatch(Prediction::isFinite)) {
                model.close();
                throw new CorruptAdapterException("Adapter " + deployment.getAdapterId()
                        + " is corrupt: it gives non-finite scores on its warm-up texts");
            }
        } catch (RuntimeException e) {
            model.close();
            throw new AdapterLoadException("Adapter " + deployment.getAdapterId() + " fails on its warm-up texts: " + e, e);
        }
        return model;
    }

    /** The engine adapters are prepared for. */
    public InferenceEngine engine() {
        return engine;
    }

    @Override
    public String baseModelId() {
        return base.id();
    }

    @Override
    public String baseModelChecksum() {
        return base.checksum();
    }

    /** Raw model access for the benchmark's forward-throughput baseline. */
    public BaseModel baseModel() {
        return base;
    }

    @PreDestroy
    @Override
    public void close() {
        if (shared != null) {
            shared.close(); // freed with the last session still open
        }
        base.close(); // also closes any classifier still open on it
    }
}
