package dev.streamtune.model.peft;

import dev.streamtune.model.BertConfig;
import dev.streamtune.model.nn.PeftSlots;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Bottleneck adapters (Houlsby et al. 2019): in every layer, a residual {@code x + up(gelu(down(x)))} of width
 * {@code size} after the attention output and after the feed-forward output. {@code up} starts at zero, so a new
 * classifier computes exactly the base encoder, and {@code down} from N(0, 0.02^2) (BERT's initialiser range).
 *
 * @param size the bottleneck width m (per layer 2 x (2 x m x hidden + m + hidden) weights)
 */
public record BottleneckAdapters(int size) implements PeftMethod {

    public static final String KIND = "bottleneck-adapter";
    /** 32 of MiniLM's 384 dimensions: Houlsby et al.'s 64 of 768 scaled to the hidden size. */
    public static final int DEFAULT_SIZE = 32;
    private static final double DOWN_STD = 0.02;

    public BottleneckAdapters {
        PeftMethods.requirePositive(size, KIND);
    }

    static BottleneckAdapters fromSettings(Map<String, String> settings) {
        return new BottleneckAdapters(PeftMethods.size(settings, KIND, DEFAULT_SIZE));
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Map<String, String> settings() {
        return PeftMethods.sizeSettings(size);
    }

    @Override
    public Map<String, long[]> shapes(BertConfig base) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        long h = base.hiddenSize();
        for (int layer = 0; layer < base.numLayers(); layer++) {
            for (PeftSlots.Sublayer sublayer : PeftSlots.Sublayer.values()) {
                shapes.put(PeftSlots.adapter(layer, sublayer, PeftSlots.Projection.DOWN, false), new long[] {size, h});
                shapes.put(PeftSlots.adapter(layer, sublayer, PeftSlots.Projection.DOWN, true), new long[] {size});
                shapes.put(PeftSlots.adapter(layer, sublayer, PeftSlots.Projection.UP, false), new long[] {h, size});
                shapes.put(PeftSlots.adapter(layer, sublayer, PeftSlots.Projection.UP, true), new long[] {h});
            }
        }
        return shapes;
    }

    @Override
    public float[] initialValues(String name, long[] shape, BertConfig base, Function<String, float[]> baseWeights,
            SplittableRandom random) {
        int n = Math.toIntExact(shape[0] * (shape.length > 1 ? shape[1] : 1));
        boolean downWeight = name.endsWith(".adapter.down.weight");
        return downWeight ? PeftMethod.gaussian(n, DOWN_STD, random) : new float[n];
    }
}
