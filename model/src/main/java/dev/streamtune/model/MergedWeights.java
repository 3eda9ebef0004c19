package dev.streamtune.model;

import dev.streamtune.model.nn.ClassifierHead;
import dev.streamtune.model.nn.LoraTarget;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A classifier's weights as one plain model: the base weights, replaced by the classifier's own copies of its
 * unfrozen top layers, with every LoRA delta merged into its projection ({@code W + (alpha / r) * B A}), plus the
 * head, and the arrays of a method beside LoRA as they are (named by their slots). What an inference engine without
 * LoRA support (ONNX Runtime) runs.
 */
public final class MergedWeights {

    private MergedWeights() {}

    /**
     * @return fp32 weights by HuggingFace name, linear weights [out, in]; the head under {@link ClassifierHead#WEIGHT}
     *     and {@link ClassifierHead#BIAS}
     */
    public static Map<String, float[]> of(TextClassifier classifier) {
        BaseModel base = classifier.base();
        BertConfig c = base.config();
        Map<String, float[]> own = classifier.snapshot();
        Map<String, float[]> merged = new LinkedHashMap<>();
        try (Lifecycle.Lease lease = base.acquire()) {
            for (String name : PretrainedWeights.expectedShapes(c).keySet()) {
                float[] w = own.get(name);
                merged.put(name, w != null ? w : base.weight(name).toFloatArray());
            }
        }
        LoraConfig lora = classifier.config().lora();
        for (int layer = lora.firstLayer(); lora.enabled() && layer < c.numLayers(); layer++) {
            for (LoraTarget t : lora.targets()) {
                String module = "encoder.layer." + layer + "." + t.modulePath();
                long[] shape = PretrainedWeights.layerShapes(c, layer).get(module + ".weight");
                merged.put(module + ".weight", merge(merged.get(module + ".weight"),
                        own.get(EncoderAssembly.loraA(module)), own.get(EncoderAssembly.loraB(module)),
                        (int) shape[0], (int) shape[1], lora.rank(), lora.scaling()));
            }
        }
        if (classifier.config().peft() != null) {
            // Not mergeable into the base weights: the graph writes them where the encoder uses them.
            for (String name : classifier.config().peft().shapes(c).keySet()) {
                merged.put(name, own.get(name));
            }
        }
        merged.put(ClassifierHead.WEIGHT, own.get(ClassifierHead.WEIGHT));
        merged.put(ClassifierHead.BIAS, own.get(ClassifierHead.BIAS));
        return merged;
    }

    /**
     * {@code W + scaling * B A}, a new array.
     *
     * @param w [out, in]
     * @param a [r, in]
     * @param b [out, r]
     */
    static float[] merge(float[] w, float[] a, float[] b, int out, int in, int r, float scaling) {
        if (w.length != out * in || a.length != r * in || b.length != out * r) {
            throw new IllegalArgumentException("LoRA shapes do not fit [" + out + ", " + in + "] at rank " + r);
        }
        float[] m = w.clone();
        for (int o = 0; o < out; o++) {
            for (int k = 0; k < r; k++) {
                float bk = scaling * b[o * r + k];
                if (bk == 0f) {
                    continue;
                }
                for (int i = 0; i < in; i++) {
                    m[o * in + i] += bk * a[k * in + i];
                }
            }
        }
        return m;
    }
}
