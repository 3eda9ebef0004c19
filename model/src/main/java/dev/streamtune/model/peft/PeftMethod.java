package dev.streamtune.model.peft;

import dev.streamtune.model.BertConfig;
import dev.streamtune.model.SeededDraws;
import dev.streamtune.model.nn.PeftSlots;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A parameter-efficient fine-tuning method other than LoRA (which lives in every projection, {@code LoraConfig}):
 * the arrays it trains, named after the encoder's {@link PeftSlots}, and how they start. The encoder uses whatever
 * slots the arrays fill; the adapter file records {@link #kind()} and {@link #settings()}, and {@link PeftMethods}
 * reads them back.
 *
 * <p>A new method is one implementation (a record, so two equal settings are equal methods) plus one line in
 * {@link PeftMethods}.
 */
public interface PeftMethod {

    /** Its name in configuration and in adapter files, e.g. {@code prefix-tuning}. */
    String kind();

    /** Its settings as the adapter file stores them; {@link PeftMethods#of} reads them back into an equal method. */
    Map<String, String> settings();

    /** Names ({@link PeftSlots}) and shapes of the arrays it trains on a base of this shape, in a fixed order. */
    Map<String, long[]> shapes(BertConfig base);

    /**
     * The starting values of one of its arrays (row-major).
     *
     * @param baseWeights the base model's weights by HuggingFace name (e.g. to start from real token vectors)
     * @param random seeded by the classifier's seed: the same seed gives the same start
     */
    float[] initialValues(String name, long[] shape, BertConfig base, Function<String, float[]> baseWeights,
            SplittableRandom random);

    /** One line for logs and lineage, e.g. {@code prefix-tuning (tokens=10)}. */
    default String describe() {
        return kind() + " " + new java.util.TreeMap<>(settings());
    }

    /** {@code size} values from N(0, std^2). */
    static float[] gaussian(int size, double std, SplittableRandom random) {
        float[] values = new float[size];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (SeededDraws.standardNormal(random) * std);
        }
        return values;
    }
}
