package dev.streamtune.model.peft;

import dev.streamtune.model.BertConfig;
import dev.streamtune.model.nn.PeftSlots;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Prefix tuning (Li and Liang 2021; P-tuning v2's form for encoders): in every layer, {@code tokens} trainable key
 * and value vectors that every query attends to beside the text's own. Trained directly, without the paper's
 * reparameterising MLP (which only eases optimisation and is thrown away after training; not measured here), from
 * N(0, 0.02^2): small keys take little
 * attention at first, so a new classifier starts close to the base encoder, and distinct values break the symmetry
 * between prefix positions (identical ones would get identical gradients for ever).
 *
 * @param tokens prefix length P (setting {@code size}) (per layer 2 x P x hidden weights)
 */
public record PrefixTuning(int tokens) implements PeftMethod {

    public static final String KIND = "prefix-tuning";
    public static final int DEFAULT_TOKENS = 10;
    private static final double INIT_STD = 0.02;

    public PrefixTuning {
        PeftMethods.requirePositive(tokens, KIND);
    }

    static PrefixTuning fromSettings(Map<String, String> settings) {
        return new PrefixTuning(PeftMethods.size(settings, KIND, DEFAULT_TOKENS));
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Map<String, String> settings() {
        return PeftMethods.sizeSettings(tokens);
    }

    @Override
    public Map<String, long[]> shapes(BertConfig base) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (int layer = 0; layer < base.numLayers(); layer++) {
            shapes.put(PeftSlots.prefixKey(layer), new long[] {tokens, base.hiddenSize()});
            shapes.put(PeftSlots.prefixValue(layer), new long[] {tokens, base.hiddenSize()});
        }
        return shapes;
    }

    @Override
    public float[] initialValues(String name, long[] shape, BertConfig base, Function<String, float[]> baseWeights,
            SplittableRandom random) {
        return PeftMethod.gaussian(Math.toIntExact(shape[0] * shape[1]), INIT_STD, random);
    }
}
