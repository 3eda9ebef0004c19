package dev.streamtune.model.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;

/**
 * One post-LayerNorm BERT layer: multi-head self-attention and a GELU feed-forward network, each followed by a
 * residual add and a LayerNorm. All six projections are {@link LoraLinear}s, so an adapter can wrap any of them.
 *
 * <p>Attention runs as two batched matmuls over [batch, heads, tokens, head_dim] views; there is no per-head
 * loop. The 1/sqrt(head_dim) factor is applied to the queries ([B, T, H]) rather than to the scores
 * ([B, heads, T, T]).
 *
 * <p>Parameter-efficient methods other than LoRA add arrays in this layer's {@link PeftSlots}: prefix keys and
 * values (prefix tuning) are put before the tokens' own keys and values, and bottleneck adapters follow the
 * attention and feed-forward output projections, before their residual adds.
 *
 * <p>Input: {@code [hidden [B, T, H]]} or {@code [hidden, additiveMask [B, 1, 1, T]]}. Output: {@code [hidden]}.
 * Internally tokens are rows of a [B*T, H] matrix, so each projection with its bias is a single addmm.
 */
public final class BertLayer extends AbstractBlock {

    private final LoraLinear query;
    private final LoraLinear key;
    private final LoraLinear value;
    private final LoraLinear attentionOutput;
    private final LoraLinear intermediate;
    private final LoraLinear output;
    private final Parameter attentionNormWeight;
    private final Parameter attentionNormBias;
    private final Parameter outputNormWeight;
    private final Parameter outputNormBias;
    /** Prefix tuning's keys and values {@code [P, H]}, or null. */
    private final Parameter prefixKey;
    private final Parameter prefixValue;
    /** Bottleneck adapters after the attention and feed-forward outputs, or null. */
    private final BottleneckAdapter attentionAdapter;
    private final BottleneckAdapter outputAdapter;
    private final int numHeads;
    private final float layerNormEps;
    private final float attentionDropout;
    private final float hiddenDropout;

    /**
     * @param layer this layer's index, 0 at the bottom
     * @param projections the six projections by target
     * @param arrays this layer's LayerNorm arrays by HuggingFace name, and the arrays of any {@link PeftSlots} of
     *     this layer a method fills
     */
    public BertLayer(int layer, Map<LoraTarget, LoraLinear> projections, Map<String, NDArray> arrays,
            int numHeads, float layerNormEps, float attentionDropout, float hiddenDropout) {
        String prefix = "encoder.layer." + layer;
        this.query = addChildBlock("query", projections.get(LoraTarget.QUERY));
        this.key = addChildBlock("key", projections.get(LoraTarget.KEY));
        this.value = addChildBlock("value", projections.get(LoraTarget.VALUE));
        this.attentionOutput = addChildBlock("attention_output", projections.get(LoraTarget.ATTENTION_OUTPUT));
        this.intermediate = addChildBlock("intermediate", projections.get(LoraTarget.INTERMEDIATE));
        this.output = addChildBlock("output", projections.get(LoraTarget.OUTPUT));
        this.attentionNormWeight = addParameter(norm(prefix + ".attention.output.LayerNorm.weight", arrays));
        this.attentionNormBias = addParameter(norm(prefix + ".attention.output.LayerNorm.bias", arrays));
        this.outputNormWeight = addParameter(norm(prefix + ".output.LayerNorm.weight", arrays));
        this.outputNormBias = addParameter(norm(prefix + ".output.LayerNorm.bias", arrays));
        NDArray keys = arrays.get(PeftSlots.prefixKey(layer));
        NDArray values = arrays.get(PeftSlots.prefixValue(layer));
        if ((keys == null) != (values == null)) {
            throw new IllegalArgumentException(prefix + ": prefix tuning needs both keys and values");
        }
        this.prefixKey = keys == null ? null
                : addParameter(LoraLinear.param(PeftSlots.prefixKey(layer), Parameter.Type.WEIGHT, keys));
        this.prefixValue = values == null ? null
                : addParameter(LoraLinear.param(PeftSlots.prefixValue(layer), Parameter.Type.WEIGHT, values));
        BottleneckAdapter afterAttention = BottleneckAdapter.inSlot(layer, PeftSlots.Sublayer.ATTENTION, arrays);
        this.attentionAdapter = afterAttention == null ? null : addChildBlock("attention_adapter", afterAttention);
        BottleneckAdapter afterOutput = BottleneckAdapter.inSlot(layer, PeftSlots.Sublayer.FEED_FORWARD, arrays);
        this.outputAdapter = afterOutput == null ? null : addChildBlock("output_adapter", afterOutput);
        this.numHeads = numHeads;
        this.layerNormEps = layerNormEps;
        this.attentionDropout = attentionDropout;
        this.hiddenDropout = hiddenDropout;
        long hidden = attentionNormWeight.getArray().getShape().get(0);
        if (hidden % numHeads != 0) {
            throw new IllegalArgumentException("hidden size " + hidden + " is not a multiple of " + numHeads + " heads");
        }
        this.inputShapes = new Shape[] {new Shape(-1, -1, hidden)};
    }

    private static Parameter norm(String name, Map<String, NDArray> arrays) {
        NDArray a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("missing weight " + name);
        }
        return LoraLinear.param(name, name.endsWith("bias") ? Parameter.Type.BETA : Parameter.Type.GAMMA, a);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray mask = inputs.size() > 1 ? inputs.get(1) : null;
        Shape shape = x.getShape();
        NDArray out = apply(ps, x.reshape(shape.get(0) * shape.get(1), shape.get(2)), shape.get(0), shape.get(1), mask,
                training);
        return new NDList(out.reshape(shape));
    }

    /**
     * @param x [B*T, H]: token vectors as rows, so every projection is one fused addmm (bias included)
     * @return [B*T, H]
     */
    NDArray apply(ParameterStore ps, NDArray x, long batch, long tokens, NDArray additiveMask, boolean training) {
        Device device = x.getDevice();
        long hidden = x.getShape().get(1);
        long headDim = hidden / numHeads;

        NDArray q = Functional.scale(query.apply(ps, x, training), (float) (1.0 / Math.sqrt(headDim)));
        NDArray k = key.apply(ps, x, training);
        NDArray v = value.apply(ps, x, training);
        long keys = tokens;
        if (prefixKey != null) {
            // Every query also attends to the P prefix positions, which no padding mask covers. They go after the
            // tokens (attention does not see key order), so the activation comes first in each operation.
            k = withPrefix(k, ps.getValue(prefixKey, device, training), batch, tokens, hidden);
            v = withPrefix(v, ps.getValue(prefixValue, device, training), batch, tokens, hidden);
            keys = tokens + prefixKey.getArray().getShape().get(0);
            if (additiveMask != null) {
                additiveMask = additiveMask.concat(
                        additiveMask.getManager().zeros(new Shape(batch, 1, 1, keys - tokens)), 3);
            }
        }
        q = q.reshape(batch, tokens, numHeads, headDim).transpose(0, 2, 1, 3); // [B, h, T, d]
        k = k.reshape(batch, keys, numHeads, headDim).transpose(0, 2, 3, 1); // [B, h, d, K], K = T (+ P)
        v = v.reshape(batch, keys, numHeads, headDim).transpose(0, 2, 1, 3); // [B, h, K, d]
        NDArray scores = q.matMul(k); // [B, h, T, K]
        if (additiveMask != null) {
            scores.addi(additiveMask);
        }
        NDArray probs = Functional.dropout(scores.softmax(-1), attentionDropout, training);
        NDArray context = probs.matMul(v).transpose(0, 2, 1, 3).reshape(batch * tokens, hidden);

        NDArray attended = attentionOutput.apply(ps, context, training);
        if (attentionAdapter != null) {
            attended = attentionAdapter.apply(ps, attended, training);
        }
        attended = Functional.dropout(attended, hiddenDropout, training);
        attended.addi(x);
        NDArray h = Functional.layerNorm(attended, ps.getValue(attentionNormWeight, device, training),
                ps.getValue(attentionNormBias, device, training), layerNormEps);

        NDArray ffn = Functional.gelu(intermediate.apply(ps, h, training));
        NDArray out = output.apply(ps, ffn, training);
        if (outputAdapter != null) {
            out = outputAdapter.apply(ps, out, training);
        }
        out = Functional.dropout(out, hiddenDropout, training);
        out.addi(h);
        return Functional.layerNorm(out, ps.getValue(outputNormWeight, device, training),
                ps.getValue(outputNormBias, device, training), layerNormEps);
    }

    /** {@code [B*T, H]} token rows with the prefix {@code [P, H]} after each text's tokens: {@code [B, T+P, H]}. */
    private static NDArray withPrefix(NDArray rows, NDArray prefix, long batch, long tokens, long hidden) {
        long p = prefix.getShape().get(0);
        return rows.reshape(batch, tokens, hidden).concat(prefix.expandDims(0).broadcast(new Shape(batch, p, hidden)),
                1);
    }

    /** The projection wrapped for {@code target}. */
    public LoraLinear projection(LoraTarget target) {
        return switch (target) {
            case QUERY -> query;
            case KEY -> key;
            case VALUE -> value;
            case ATTENTION_OUTPUT -> attentionOutput;
            case INTERMEDIATE -> intermediate;
            case OUTPUT -> output;
        };
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
