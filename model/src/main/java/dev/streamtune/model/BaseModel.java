package dev.streamtune.model;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.streamtune.model.nn.BertEncoder;
import dev.streamtune.model.nn.MeanPooling;
import dev.streamtune.model.weights.Tensor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A pre-trained encoder loaded once per process: its frozen weights in native memory, its tokenizer, an id and a
 * checksum. Any number of {@link TextClassifier}s share these weights; each adds only its own adapter arrays.
 *
 * <p>The checksum (SHA-256 over the architecture, every weight and the tokenizer definition) is what adapter
 * files record, so an adapter is never applied to weights it was not trained on.
 *
 * <p>Owns one {@link NDManager}. Closing the base model closes the classifiers still open on it first.
 */
public final class BaseModel implements AutoCloseable {

    private static final int EMBED_BATCH = 32;

    private final String id;
    private final BertConfig config;
    private final String checksum;
    private final long parameterCount;
    private final NDManager manager;
    private final Map<String, NDArray> weights;
    private final HuggingFaceTokenizer tokenizer;
    private final BertEncoder encoder;
    private final Lifecycle lifecycle;
    private final Set<TextClassifier> classifiers = ConcurrentHashMap.newKeySet();
    /** Null until {@link #cacheFrozenLayers} turns it on: a serving process sees each text about once. */
    private volatile FrozenLayerCache frozenLayerCache;

    private BaseModel(String id, PretrainedWeights pretrained, byte[] tokenizerJson) throws IOException {
        this.id = id;
        this.config = pretrained.config();
        this.checksum = checksum(pretrained, tokenizerJson);
        this.parameterCount = pretrained.parameterCount();
        this.lifecycle = new Lifecycle("base model " + id);
        this.tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson),
                Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false"));
        this.manager = NDManager.newBaseManager(ComputeDevice.current(), "PyTorch");
        manager.setName("base-model " + id);
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        try (Torch.Scope torch = Torch.enter(false)) {
            for (Tensor t : pretrained.tensors().values()) {
                NDArray a = manager.create(t.data(), new Shape(t.shape()));
                a.setName(t.name());
                arrays.put(t.name(), a);
            }
        } catch (RuntimeException e) {
            manager.close();
            tokenizer.close();
            throw e;
        }
        this.weights = Collections.unmodifiableMap(arrays);
        this.encoder = EncoderAssembly.build(config, weights::get, LoraConfig.none(), 0, 0f, 0f);
    }

    /**
     * Loads weights into native memory.
     *
     * @param id a stable name for the model, e.g. {@code sentence-transformers/all-MiniLM-L6-v2}
     * @param weights the encoder weights
     * @param tokenizerJson a HuggingFace {@code tokenizer.json} (WordPiece for BERT)
     */
    public static BaseModel load(String id, PretrainedWeights weights, byte[] tokenizerJson) throws IOException {
        return new BaseModel(id, weights, tokenizerJson);
    }

    /**
     * Loads a HuggingFace checkpoint directory holding {@code config.json}, {@code model.safetensors} (F32, F16 or
     * BF16) and {@code tokenizer.json}, such as bge-small-en-v1.5 or e5-small-v2.
     */
    public static BaseModel fromHuggingFaceDirectory(Path dir, String id) throws IOException {
        BertConfig config = BertConfig.fromJson(dir.resolve("config.json"));
        PretrainedWeights weights = PretrainedWeights.fromSafetensors(dir.resolve("model.safetensors"), config);
        return load(id, weights, Files.readAllBytes(dir.resolve("tokenizer.json")));
    }

    public String id() {
        return id;
    }

    /** SHA-256 (hex) over the architecture, the weights and the tokenizer. */
    public String checksum() {
        return checksum;
    }

    public BertConfig config() {
        return config;
    }

    /** Number of pre-trained weights (scalars). */
    public long parameterCount() {
        return parameterCount;
    }

    /** Number of tokens {@code text} becomes, [CLS] and [SEP] included, before any truncation. */
    public int tokenCount(String text) {
        return tokenizer.encode(text).getIds().length;
    }

    /**
     * Mean-pooled sentence embeddings from the last layer (not normalised), as sentence-transformers computes them
     * before its Normalize module. Thread-safe.
     *
     * @return one vector of {@code hiddenSize} floats per text
     */
    public float[][] embed(List<String> texts) {
        return embed(texts, config.maxPositions());
    }

    /** As {@link #embed(List)}, each text cut to its first {@code maxTokens} tokens ([CLS] and [SEP] included). */
    public float[][] embed(List<String> texts, int maxTokens) {
        float[][] out = new float[texts.size()][];
        try (Lifecycle.Lease lease = lifecycle.acquire(); Torch.Scope torch = Torch.enter(false)) {
            for (int from = 0; from < texts.size(); from += EMBED_BATCH) {
                List<String> chunk = texts.subList(from, Math.min(texts.size(), from + EMBED_BATCH));
                TokenBatch batch = TokenBatch.of(tokenizer, chunk, Math.min(maxTokens, config.maxPositions()));
                try (NDManager request = manager.newSubManager()) {
                    NDList inputs = batch.toInputs(request);
                    NDArray hidden = encoder.forward(new ParameterStore(request, false), inputs, false).head();
                    NDArray pooled = MeanPooling.apply(hidden, inputs.size() > 2 ? inputs.get(2) : null);
                    float[] flat = pooled.toFloatArray();
                    int h = config.hiddenSize();
                    for (int i = 0; i < chunk.size(); i++) {
                        out[from + i] = java.util.Arrays.copyOfRange(flat, i * h, (i + 1) * h);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Remembers, for every text a classifier on this model runs, the output of its frozen bottom layers
     * ({@link ClassifierConfig#frozenBottomLayers}), up to {@code maxBytes}; 0 turns the cache off. Worth it where
     * the same texts come back (training epochs, replay, validation, distillation); classifiers whose LoRA adapts
     * every layer have no frozen layers and are unaffected. Replaces any earlier cache.
     */
    public void cacheFrozenLayers(long maxBytes) {
        frozenLayerCache = maxBytes == 0 ? null : new FrozenLayerCache(maxBytes);
    }

    /** What the frozen-layer cache did, if {@linkplain #cacheFrozenLayers on}. */
    public java.util.Optional<FrozenLayerCache.Stats> frozenLayerCacheStats() {
        FrozenLayerCache cache = frozenLayerCache;
        return cache == null ? java.util.Optional.empty() : java.util.Optional.of(cache.stats());
    }

    // ---- for TextClassifier, same package ----

    /** The frozen-layer cache, or null when off. */
    FrozenLayerCache frozenLayerCache() {
        return frozenLayerCache;
    }

    HuggingFaceTokenizer tokenizer() {
        return tokenizer;
    }

    /** The frozen base array for a HuggingFace weight name. */
    NDArray weight(String name) {
        return weights.get(name);
    }

    NDManager manager() {
        return manager;
    }

    Lifecycle.Lease acquire() {
        return lifecycle.acquire();
    }

    void register(TextClassifier c) {
        classifiers.add(c);
    }

    void unregister(TextClassifier c) {
        classifiers.remove(c);
    }

    /** Number of NDArrays alive under this model's manager (its weights plus everything of open classifiers). */
    public int liveArrayCount() {
        return manager.getManagedArrays().size();
    }

    @Override
    public void close() {
        for (TextClassifier c : new ArrayList<>(classifiers)) {
            c.close();
        }
        lifecycle.close(() -> {
            manager.close();
            tokenizer.close();
        });
    }

    private static String checksum(PretrainedWeights w, byte[] tokenizerJson) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha.update(w.config().canonical().getBytes(StandardCharsets.UTF_8));
        ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor t : w.tensors().values()) {
            sha.update(t.name().getBytes(StandardCharsets.UTF_8));
            for (long d : t.shape()) {
                buf.clear();
                sha.update(buf.putLong(d).flip());
            }
            float[] data = t.data();
            for (int i = 0; i < data.length; ) {
                buf.clear();
                int n = Math.min(data.length - i, buf.capacity() / Float.BYTES);
                buf.asFloatBuffer().put(data, i, n);
                buf.limit(n * Float.BYTES);
                sha.update(buf);
                i += n;
            }
        }
        sha.update(tokenizerJson);
        return HexFormat.of().formatHex(sha.digest());
    }
}
