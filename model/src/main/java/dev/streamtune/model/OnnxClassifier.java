package dev.streamtune.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.streamtune.model.onnx.ClassifierGraph;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A {@link TextClassifier} compiled for ONNX Runtime: its weights, LoRA merged ({@link MergedWeights}), written
 * as one graph ({@link ClassifierGraph}) in fp32 or int8 and run by an ORT session. Predicts what the classifier
 * predicts (same tokenizer, truncation, length-sorted batches and temperature), at a fraction of the dispatch cost
 * of the eager PyTorch path, and independently of it: the source classifier may be closed once this is compiled.
 *
 * <p>Thread-safe: concurrent {@link #predict} calls share the session. {@link #close()} waits for them. It
 * tokenizes with the base model's tokenizer, so close it before the base model.
 */
public final class OnnxClassifier implements TextPredictor {

    private final BaseModel base;
    private final List<String> labels;
    private final Map<String, String> lineage;
    private final int maxSequenceLength;
    private final float temperature;
    private final ClassifierGraph.Precision precision;
    private final long modelBytes;
    private final OrtSession session;
    private final OnnxSharedTensors shared; // null when the session holds every weight itself
    private final Lifecycle lifecycle;

    private OnnxClassifier(TextClassifier source, ClassifierGraph.Precision precision, byte[] model,
            OrtSession session, OnnxSharedTensors shared) {
        this.shared = shared;
        this.base = source.base();
        this.labels = source.labels();
        this.lineage = source.lineage();
        this.maxSequenceLength = source.config().maxSequenceLength();
        this.temperature = source.temperature();
        this.precision = precision;
        this.modelBytes = model.length;
        this.session = session;
        this.lifecycle = new Lifecycle("ONNX classifier " + labels);
    }

    /**
     * Compiles {@code classifier} as it is now (later training or calibration of it is not seen), into a session
     * that holds every weight itself.
     *
     * @param intraOpThreads ONNX Runtime threads per call; 0 for one per core
     */
    public static OnnxClassifier compile(TextClassifier classifier, ClassifierGraph.Precision precision,
            int intraOpThreads) {
        return compile(classifier, precision, intraOpThreads, null);
    }

    /**
     * As {@link #compile(TextClassifier, ClassifierGraph.Precision, int)}, the word embedding table taken from
     * {@code shared} (which must be of the classifier's base model) instead of copied: what many classifiers on
     * one base model in one process should do.
     */
    public static OnnxClassifier compile(TextClassifier classifier, ClassifierGraph.Precision precision,
            int intraOpThreads, OnnxSharedTensors shared) {
        BaseModel base = classifier.base();
        if (shared != null && shared.base() != base) {
            throw new IllegalArgumentException("shared tensors of " + shared.base().id() + " for a classifier on "
                    + base.id());
        }
        Map<String, float[]> weights = MergedWeights.of(classifier);
        int labels = classifier.labels().size();
        byte[] model = shared == null ? ClassifierGraph.write(base.config(), weights::get, labels, precision)
                : ClassifierGraph.writeWithoutWordEmbeddings(base.config(), weights::get, labels, precision);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        boolean acquired = false;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setInterOpNumThreads(1);
            // Texts vary in length, so every call has a new input shape: the memory-pattern cache would keep a plan
            // per shape, and a per-session arena keeps its peak for ever. Without both, an extra int8 task cost
            // 14 MiB instead of 39 in bench/run.sh serving --many-tasks, at the same calls/s.
            options.setMemoryPatternOptimization(false);
            options.setCPUArenaAllocator(false);
            if (intraOpThreads > 0) {
                options.setIntraOpNumThreads(intraOpThreads);
            }
            if (shared != null) {
                // addInitializer, not addExternalInitializers: ONNX Runtime reads the former in place and copies
                // the latter (measured: 24 vs 72 MB per int8 session).
                options.addInitializer(ClassifierGraph.WORD_EMBEDDINGS, shared.acquireWordEmbeddings());
                acquired = true;
            }
            return new OnnxClassifier(classifier, precision, model, env.createSession(model, options), shared);
        } catch (OrtException e) {
            if (acquired) {
                shared.release();
            }
            throw new IllegalStateException("ONNX Runtime refused the " + precision + " classifier graph: "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (acquired) {
                shared.release();
            }
            throw e;
        }
    }

    /** Label probabilities for each text, {@code softmax(logits / temperature())}, as TextClassifier's. */
    @Override
    public List<Prediction> predict(List<String> texts) {
        return Arrays.stream(logits(texts)).map(z -> {
            double[] p = TemperatureScaling.softmax(z, temperature);
            float[] f = new float[p.length];
            for (int i = 0; i < p.length; i++) {
                f[i] = (float) p[i];
            }
            return new Prediction(labels, f);
        }).toList();
    }

    /** The head's raw logits for each text, before any temperature. */
    public float[][] logits(List<String> texts) {
        float[][] out = new float[texts.size()][];
        if (texts.isEmpty()) {
            return out;
        }
        try (Lifecycle.Lease lease = lifecycle.acquire()) {
            long[][] seqs = TokenBatch.encodeAll(base.tokenizer(), texts, maxSequenceLength);
            for (int[] chunk : TokenBatch.chunksByLength(seqs, TextClassifier.PREDICT_BATCH)) {
                float[][] rows = run(TokenBatch.of(seqs, chunk, maxSequenceLength));
                for (int k = 0; k < chunk.length; k++) {
                    out[chunk[k]] = rows[k];
                }
            }
        }
        return out;
    }

    private float[][] run(TokenBatch batch) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = {batch.size, batch.length};
        float[] valid = batch.valid;
        if (valid == null) {
            valid = new float[batch.size * batch.length];
            Arrays.fill(valid, 1f);
        }
        try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(batch.ids), shape);
                OnnxTensor mask = OnnxTensor.createTensor(env, FloatBuffer.wrap(valid), shape);
                OrtSession.Result result = session.run(Map.of(ClassifierGraph.INPUT_IDS, ids,
                        ClassifierGraph.VALID_MASK, mask))) {
            return (float[][]) result.get(0).getValue();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on a batch of " + batch.size + ": " + e.getMessage(),
                    e);
        }
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    @Override
    public Map<String, String> lineage() {
        return lineage;
    }

    public float temperature() {
        return temperature;
    }

    public ClassifierGraph.Precision precision() {
        return precision;
    }

    /** Size of the compiled graph with its weights (what the session loaded). */
    public long modelBytes() {
        return modelBytes;
    }

    /** Waits for in-flight predictions, then frees the session. Idempotent. */
    @Override
    public void close() {
        lifecycle.close(() -> {
            try {
                session.close();
            } catch (OrtException e) {
                throw new IllegalStateException("cannot close the ONNX session", e);
            } finally {
                if (shared != null) {
                    shared.release();
                }
            }
        });
    }
}
