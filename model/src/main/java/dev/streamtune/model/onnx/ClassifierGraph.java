package dev.streamtune.model.onnx;

import dev.streamtune.model.BertConfig;
import dev.streamtune.model.nn.ClassifierHead;
import dev.streamtune.model.nn.PeftSlots;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes a whole text classifier (BERT encoder, mean pooling, linear head) as one ONNX graph, from weights with any
 * LoRA deltas already merged into the projections, so ONNX Runtime runs it like a plain model.
 *
 * <p>Inputs: {@value #INPUT_IDS} int64 {@code [batch, tokens]} and {@value #VALID_MASK} float {@code [batch,
 * tokens]} (1 for a token, 0 for padding). Output: {@value #LOGITS} float {@code [batch, labels]}. Token type ids
 * are always 0 in this project, so type row 0 is folded into the position table.
 *
 * <p>The graph is written for ONNX Runtime's CPU optimiser: the three attention projections are one MatMul over
 * their concatenated weights, the query scaling is folded into its weights, and GELU is the contrib {@code Gelu}
 * (exact erf form, as BERT uses); ORT fuses the bias adds, residuals and LayerNorms itself. With
 * {@link Precision#INT8} every encoder projection is a contrib {@code DynamicQuantizeMatMul} over weights quantised
 * per output column (symmetric, int8); embeddings, attention products, LayerNorms and the head stay fp32.
 *
 * <p>The arrays of a method beside LoRA ({@link PeftSlots}) are written where the encoder uses them, when the
 * weights hold them: a prompt's virtual tokens after the embeddings (and sliced off before pooling), prefix keys and
 * values after each layer's own, bottleneck adapters (fp32 in either precision: they are small) after the attention
 * and feed-forward output projections.
 */
public final class ClassifierGraph {

    public static final String INPUT_IDS = "input_ids";
    public static final String VALID_MASK = "valid_mask";
    public static final String LOGITS = "logits";
    /** The initializer name of the word embedding table [vocab, hidden]. */
    public static final String WORD_EMBEDDINGS = "word_embeddings";

    /** Numeric precision of the encoder's projections. */
    public enum Precision { FP32, INT8 }

    private final BertConfig config;
    private final Function<String, float[]> weights;
    private final Precision precision;
    private final boolean sharedWordEmbeddings;
    private final OnnxGraphWriter g = new OnnxGraphWriter();

    private ClassifierGraph(BertConfig config, Function<String, float[]> weights, Precision precision,
            boolean sharedWordEmbeddings) {
        this.sharedWordEmbeddings = sharedWordEmbeddings;
        this.config = config;
        this.weights = weights;
        this.precision = precision;
    }

    /**
     * @param weights the classifier's weights by HuggingFace name ({@code embeddings.*}, {@code encoder.layer.N.*},
     *     linear weights [out, in] as in PyTorch) plus the head ({@link ClassifierHead#WEIGHT},
     *     {@link ClassifierHead#BIAS}); LoRA merged
     * @return the serialized ONNX model
     */
    public static byte[] write(BertConfig config, Function<String, float[]> weights, int labels, Precision precision) {
        return new ClassifierGraph(config, weights, precision, false).build(labels);
    }

    /**
     * As {@link #write}, but the word embedding table (the largest tensor, never changed by an adapter) is declared
     * without its data: the session must be given it as the initializer {@value #WORD_EMBEDDINGS}
     * ({@code addInitializer}), one tensor shared by every classifier on the same base model.
     */
    public static byte[] writeWithoutWordEmbeddings(BertConfig config, Function<String, float[]> weights, int labels,
            Precision precision) {
        return new ClassifierGraph(config, weights, precision, true).build(labels);
    }

    private byte[] build(int labels) {
        int h = config.hiddenSize();
        g.input(INPUT_IDS, OnnxGraphWriter.INT64, "batch", "tokens");
        g.input(VALID_MASK, OnnxGraphWriter.FLOAT, "batch", "tokens");
        g.output(LOGITS, OnnxGraphWriter.FLOAT, "batch", (long) labels);

        String hidden = embeddings();
        String attendedMask = VALID_MASK;
        float[] prompt = weights.apply(PeftSlots.PROMPT);
        if (prompt != null) {
            // The virtual tokens go after the text's (they carry no position), attended like tokens.
            long p = prompt.length / h;
            hidden = g.node("Concat", "", Map.of("axis", 1L), hidden,
                    perText(g.floats(PeftSlots.PROMPT, new long[] {1, p, h}, prompt), p, h));
            attendedMask = g.node("Concat", "", Map.of("axis", 1L), VALID_MASK,
                    g.node("Expand", g.floats("prompt_mask", new long[] {1, p}, ones((int) p)),
                            g.node("Concat", "", Map.of("axis", 0L), batchDim(), longs("prompt_len", p))));
        }
        // 0 where attended, -1e9 where padded, [B, 1, 1, T]: broadcasts over heads and query positions.
        String additiveMask = g.node("Unsqueeze",
                g.node("Mul", g.node("Sub", attendedMask, scalar("one", 1f)), scalar("big", 1e9f)),
                longs("axes_1_2", 1, 2));
        for (int layer = 0; layer < config.numLayers(); layer++) {
            hidden = layer(layer, hidden, additiveMask);
        }
        if (prompt != null) {
            // Pooling sees the text's tokens only: drop the virtual ones again.
            hidden = g.node("Slice", hidden, longs("zero_l", 0), tokenCount(), longs("one_l", 1));
        }
        // Mean over the valid tokens, as sentence-transformers pools.
        String mask3 = g.node("Unsqueeze", VALID_MASK, longs("axes_2", 2));
        String axis1 = longs("axes_1", 1);
        String summed = g.node("ReduceSum", "", Map.of("keepdims", 0L), g.node("Mul", hidden, mask3), axis1);
        String counts = g.node("Max", g.node("ReduceSum", "", Map.of("keepdims", 1L), VALID_MASK, axis1),
                scalar("tiny", 1e-9f));
        String pooled = g.node("Div", summed, counts);
        String logits = g.node("Add", g.node("MatMul", pooled,
                        g.floats("head_weight", new long[] {h, labels},
                                transpose(weight(ClassifierHead.WEIGHT), labels, h))),
                g.floats("head_bias", new long[] {labels}, weight(ClassifierHead.BIAS)));
        g.node("Identity", "", Map.of(), java.util.List.of(logits), java.util.List.of(LOGITS));
        return g.toBytes("streamtune-classifier");
    }

    private String embeddings() {
        int h = config.hiddenSize();
        long[] wordsShape = {config.vocabSize(), h};
        String words = sharedWordEmbeddings ? g.externalFloats(WORD_EMBEDDINGS, wordsShape)
                : g.floats(WORD_EMBEDDINGS, wordsShape, weight("embeddings.word_embeddings.weight"));
        float[] positions = weight("embeddings.position_embeddings.weight").clone();
        float[] type0 = weight("embeddings.token_type_embeddings.weight");
        for (int i = 0; i < positions.length; i++) {
            positions[i] += type0[i % h];
        }
        String table = g.floats("position_embeddings", new long[] {config.maxPositions(), h}, positions);
        String positionRows = g.node("Slice", table, longs("zero_l", 0), tokenCount(), longs("axis_0", 0));
        String e = g.node("Add", g.node("Gather", words, INPUT_IDS), positionRows);
        return layerNorm(e, "embeddings.LayerNorm");
    }

    private String layer(int layer, String x, String additiveMask) {
        int h = config.hiddenSize();
        int heads = config.numHeads();
        int d = config.headDim();
        String p = "encoder.layer." + layer + ".";
        // One projection for query, key and value; 1/sqrt(d) folded into the query's weights and bias.
        float scale = (float) (1.0 / Math.sqrt(d));
        float[] w = new float[3 * h * h];
        float[] b = new float[3 * h];
        String[] parts = {"attention.self.query", "attention.self.key", "attention.self.value"};
        for (int k = 0; k < 3; k++) {
            float[] wk = weight(p + parts[k] + ".weight");
            float[] bk = weight(p + parts[k] + ".bias");
            float s = k == 0 ? scale : 1f;
            for (int i = 0; i < h * h; i++) {
                w[k * h * h + i] = wk[i] * s;
            }
            for (int i = 0; i < h; i++) {
                b[k * h + i] = bk[i] * s;
            }
        }
        String qkv = linear(x, p + "qkv", w, b, 3 * h, h);
        String q = p + "q";
        String k = p + "k";
        String v = p + "v";
        g.node("Split", "", Map.of("axis", -1L), java.util.List.of(qkv, longs("qkv_split", h, h, h)),
                java.util.List.of(q, k, v));
        float[] prefixKey = weights.apply(PeftSlots.prefixKey(layer));
        if (prefixKey != null) {
            // P more keys and values after the tokens' own, never masked.
            long prefix = prefixKey.length / h;
            k = g.node("Concat", "", Map.of("axis", 1L), k,
                    perText(g.floats(PeftSlots.prefixKey(layer), new long[] {1, prefix, h}, prefixKey), prefix, h));
            v = g.node("Concat", "", Map.of("axis", 1L), v, perText(g.floats(PeftSlots.prefixValue(layer),
                    new long[] {1, prefix, h}, weight(PeftSlots.prefixValue(layer))), prefix, h));
            additiveMask = g.node("Concat", "", Map.of("axis", 3L), additiveMask,
                    g.node("Expand", g.floats(p + "prefix_open", new long[] {1, 1, 1, prefix}, new float[(int) prefix]),
                            g.node("Concat", "", Map.of("axis", 0L), batchDim(), longs("one_one", 1, 1),
                                    longs("prefix_len_" + prefix, prefix))));
        }
        String headsShape = longs("heads_shape", 0, 0, heads, d);
        String qh = g.node("Transpose", "", Map.of("perm", new long[] {0, 2, 1, 3}), g.node("Reshape", q, headsShape));
        String kh = g.node("Transpose", "", Map.of("perm", new long[] {0, 2, 3, 1}), g.node("Reshape", k, headsShape));
        String vh = g.node("Transpose", "", Map.of("perm", new long[] {0, 2, 1, 3}), g.node("Reshape", v, headsShape));
        String scores = g.node("Add", g.node("MatMul", qh, kh), additiveMask);
        String probs = g.node("Softmax", "", Map.of("axis", -1L), scores);
        String context = g.node("Reshape",
                g.node("Transpose", "", Map.of("perm", new long[] {0, 2, 1, 3}), g.node("MatMul", probs, vh)),
                longs("hidden_shape", 0, 0, h));
        String attended = bottleneck(linear(context, p + "attention.output.dense", h, h), layer,
                PeftSlots.Sublayer.ATTENTION);
        String h1 = layerNorm(g.node("Add", attended, x), p + "attention.output.LayerNorm");
        String inner = g.node("Gelu", OnnxGraphWriter.MICROSOFT, Map.of(),
                linear(h1, p + "intermediate.dense", config.intermediateSize(), h));
        String out = bottleneck(linear(inner, p + "output.dense", h, config.intermediateSize()), layer,
                PeftSlots.Sublayer.FEED_FORWARD);
        return layerNorm(g.node("Add", out, h1), p + "output.LayerNorm");
    }

    /** {@code x + up(gelu(down(x)))} when the weights hold a bottleneck adapter in this slot, else {@code x}. */
    private String bottleneck(String x, int layer, PeftSlots.Sublayer sublayer) {
        float[] down = weights.apply(PeftSlots.adapter(layer, sublayer, PeftSlots.Projection.DOWN, false));
        if (down == null) {
            return x;
        }
        int h = config.hiddenSize();
        int m = down.length / h;
        String inner = g.node("Gelu", OnnxGraphWriter.MICROSOFT, Map.of(), fp32Linear(x,
                PeftSlots.adapter(layer, sublayer, PeftSlots.Projection.DOWN, false), down,
                weight(PeftSlots.adapter(layer, sublayer, PeftSlots.Projection.DOWN, true)), m, h));
        String up = PeftSlots.adapter(layer, sublayer, PeftSlots.Projection.UP, false);
        return g.node("Add", x, fp32Linear(inner, up, weight(up),
                weight(PeftSlots.adapter(layer, sublayer, PeftSlots.Projection.UP, true)), h, m));
    }

    /** {@code x W^T + b} in fp32 whatever the precision, for W [out, in] named {@code name}. */
    private String fp32Linear(String x, String name, float[] w, float[] b, int out, int in) {
        return g.node("Add", g.node("MatMul", x, g.floats(name + ".t", new long[] {in, out}, transpose(w, out, in))),
                g.floats(name + ".b", new long[] {out}, b));
    }

    /** {@code [1, P, H]} repeated for every text of the batch: {@code [B, P, H]}. */
    private String perText(String rows, long p, long h) {
        return g.node("Expand", rows, g.node("Concat", "", Map.of("axis", 0L), batchDim(), longs("rows_" + p, p, h)));
    }

    /** {@code [B]}: the batch size, as a shape. */
    private String batchDim() {
        return shapeDim("batch_dim", longs("zero_l", 0), longs("one_l", 1));
    }

    /** {@code [T]}: the number of tokens, as a shape. */
    private String tokenCount() {
        return shapeDim("token_count", longs("one_l", 1), longs("two_l", 2));
    }

    /** One dimension of the input's shape, computed once per graph. */
    private String shapeDim(String key, String start, String end) {
        String known = constants.get(key);
        if (known == null) {
            known = g.node("Slice", g.node("Shape", INPUT_IDS), start, end);
            constants.put(key, known);
        }
        return known;
    }

    private static float[] ones(int n) {
        float[] values = new float[n];
        java.util.Arrays.fill(values, 1f);
        return values;
    }

    private String linear(String x, String module, int out, int in) {
        return linear(x, module, weight(module + ".weight"), weight(module + ".bias"), out, in);
    }

    /** {@code x W^T + b} for W [out, in]. */
    private String linear(String x, String name, float[] w, float[] b, int out, int in) {
        float[] wt = transpose(w, out, in); // [in, out]: what MatMul takes
        String bias = g.floats(name + ".bias", new long[] {out}, b);
        if (precision == Precision.FP32) {
            return g.node("Add", g.node("MatMul", x, g.floats(name + ".weight", new long[] {in, out}, wt)), bias);
        }
        Int8Columns q = Int8Columns.quantise(wt, in, out);
        return g.node("DynamicQuantizeMatMul", OnnxGraphWriter.MICROSOFT, Map.of(), x,
                g.int8s(name + ".weight_int8", new long[] {in, out}, q.values()),
                g.floats(name + ".weight_scale", new long[] {out}, q.scales()),
                g.int8s(name + ".weight_zero", new long[] {out}, new byte[out]), bias);
    }

    private String layerNorm(String x, String module) {
        int h = config.hiddenSize();
        return g.node("LayerNormalization", "", Map.of("axis", -1L, "epsilon", config.layerNormEps()), x,
                g.floats(module + ".weight", new long[] {h}, weight(module + ".weight")),
                g.floats(module + ".bias", new long[] {h}, weight(module + ".bias")));
    }

    /** Constants written so far, by name: each is written once however often it is used. */
    private final Map<String, String> constants = new LinkedHashMap<>();

    /** An int64 constant. */
    private String longs(String name, long... values) {
        return constants.computeIfAbsent(name, n -> g.longs(n, values));
    }

    private String scalar(String name, float value) {
        return constants.computeIfAbsent(name, n -> g.floats(n, new long[0], new float[] {value}));
    }

    private float[] weight(String name) {
        float[] w = weights.apply(name);
        if (w == null) {
            throw new IllegalArgumentException("no weight " + name);
        }
        return w;
    }

    /** [rows, cols] row-major to [cols, rows]. */
    static float[] transpose(float[] m, int rows, int cols) {
        if (m.length != rows * cols) {
            throw new IllegalArgumentException(m.length + " values for [" + rows + ", " + cols + "]");
        }
        float[] t = new float[m.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = m[r * cols + c];
            }
        }
        return t;
    }
}
