package dev.streamtune.model;

import dev.streamtune.model.nn.LoraTarget;
import dev.streamtune.model.weights.OnnxWeightReader;
import dev.streamtune.model.weights.SafetensorsReader;
import dev.streamtune.model.weights.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fp32 weights of a BERT-family encoder under their HuggingFace names ({@code embeddings.*},
 * {@code encoder.layer.N.*}), checked against a {@link BertConfig}: every tensor present with the right shape.
 * Linear weights are [out, in], as in PyTorch. Pooler and task heads of the checkpoint are dropped.
 */
public final class PretrainedWeights {

    private final BertConfig config;
    private final Map<String, Tensor> tensors;

    private PretrainedWeights(BertConfig config, Map<String, Tensor> tensors) {
        this.config = config;
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /** Reads an ONNX export (initializers embedded) of a BERT model with the given architecture. */
    public static PretrainedWeights fromOnnx(InputStream onnx, BertConfig config) throws IOException {
        return of(config, OnnxWeightReader.read(onnx));
    }

    /** Reads a HuggingFace {@code model.safetensors} (F32, F16 or BF16) of a BERT model. */
    public static PretrainedWeights fromSafetensors(Path file, BertConfig config) throws IOException {
        return of(config, SafetensorsReader.read(file).tensors());
    }

    /**
     * Normalises names ({@code bert.} prefix, old {@code gamma}/{@code beta} LayerNorm names), keeps the encoder's
     * tensors and validates their shapes.
     *
     * @throws IllegalArgumentException if a tensor is missing or has the wrong shape
     */
    public static PretrainedWeights of(BertConfig config, Map<String, Tensor> raw) {
        Map<String, Tensor> byName = new LinkedHashMap<>();
        for (Tensor t : raw.values()) {
            String name = normalise(t.name());
            if (name.startsWith("embeddings.") || name.startsWith("encoder.layer.")) {
                byName.put(name, t.renamed(name));
            }
        }
        Map<String, long[]> expected = expectedShapes(config);
        List<String> problems = new ArrayList<>();
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            Tensor t = byName.get(e.getKey());
            if (t == null) {
                problems.add("missing " + e.getKey());
            } else if (!Arrays.equals(t.shape(), e.getValue())) {
                problems.add(e.getKey() + " has shape " + Arrays.toString(t.shape()) + ", expected "
                        + Arrays.toString(e.getValue()));
            } else {
                ordered.put(e.getKey(), t);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("weights do not fit " + config.canonical() + ": "
                    + String.join("; ", problems.subList(0, Math.min(8, problems.size())))
                    + (problems.size() > 8 ? " (and " + (problems.size() - 8) + " more)" : ""));
        }
        return new PretrainedWeights(config, ordered);
    }

    private static String normalise(String name) {
        String n = name;
        for (String prefix : List.of("bert.", "model.", "encoder.bert.")) {
            if (n.startsWith(prefix)) {
                n = n.substring(prefix.length());
            }
        }
        if (n.endsWith("LayerNorm.gamma")) {
            n = n.substring(0, n.length() - "gamma".length()) + "weight";
        } else if (n.endsWith("LayerNorm.beta")) {
            n = n.substring(0, n.length() - "beta".length()) + "bias";
        }
        return n;
    }

    /** Every tensor the encoder needs, in a fixed order, with its shape. */
    static Map<String, long[]> expectedShapes(BertConfig c) {
        long h = c.hiddenSize();
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put("embeddings.word_embeddings.weight", new long[] {c.vocabSize(), h});
        m.put("embeddings.position_embeddings.weight", new long[] {c.maxPositions(), h});
        m.put("embeddings.token_type_embeddings.weight", new long[] {c.typeVocabSize(), h});
        m.put("embeddings.LayerNorm.weight", new long[] {h});
        m.put("embeddings.LayerNorm.bias", new long[] {h});
        for (int i = 0; i < c.numLayers(); i++) {
            m.putAll(layerShapes(c, i));
        }
        return m;
    }

    /** The tensors of encoder layer {@code i}, with their shapes. */
    static Map<String, long[]> layerShapes(BertConfig c, int i) {
        long h = c.hiddenSize();
        long f = c.intermediateSize();
        String p = "encoder.layer." + i + ".";
        Map<String, long[]> m = new LinkedHashMap<>();
        for (LoraTarget t : LoraTarget.values()) {
            long in = t == LoraTarget.OUTPUT ? f : h;
            long out = t == LoraTarget.INTERMEDIATE ? f : h;
            m.put(p + t.modulePath() + ".weight", new long[] {out, in});
            m.put(p + t.modulePath() + ".bias", new long[] {out});
        }
        m.put(p + "attention.output.LayerNorm.weight", new long[] {h});
        m.put(p + "attention.output.LayerNorm.bias", new long[] {h});
        m.put(p + "output.LayerNorm.weight", new long[] {h});
        m.put(p + "output.LayerNorm.bias", new long[] {h});
        return m;
    }

    public BertConfig config() {
        return config;
    }

    /** Tensors by HuggingFace name, in a fixed order (embeddings, then layer by layer). */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /** Number of weights (scalars). */
    public long parameterCount() {
        return tensors.values().stream().mapToLong(t -> t.data().length).sum();
    }
}
