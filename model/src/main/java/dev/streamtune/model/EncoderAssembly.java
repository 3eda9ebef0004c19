package dev.streamtune.model;

import ai.djl.ndarray.NDArray;
import dev.streamtune.model.nn.BertEmbeddings;
import dev.streamtune.model.nn.BertEncoder;
import dev.streamtune.model.nn.BertLayer;
import dev.streamtune.model.nn.LoraLinear;
import dev.streamtune.model.nn.LoraTarget;
import dev.streamtune.model.nn.PeftSlots;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Wires the encoder blocks to arrays looked up by HuggingFace/PEFT name: the base weights, LoRA's as {@code lora}
 * says, and whichever {@link PeftSlots} arrays the lookup holds (a classifier's own arrays fill them when its
 * method uses them).
 */
final class EncoderAssembly {

    private EncoderAssembly() {}

    static BertEncoder build(BertConfig c, Function<String, NDArray> arrays, LoraConfig lora, int frozenBottomLayers,
            float attentionDropout, float hiddenDropout) {
        Map<String, NDArray> embeddingArrays = new HashMap<>();
        for (String name : PretrainedWeights.expectedShapes(c).keySet()) {
            if (name.startsWith("embeddings.")) {
                embeddingArrays.put(name, require(arrays, name));
            }
        }
        BertEmbeddings embeddings = new BertEmbeddings(embeddingArrays, c.layerNormEps(), hiddenDropout);
        List<BertLayer> layers = new ArrayList<>();
        for (int i = 0; i < c.numLayers(); i++) {
            String prefix = "encoder.layer." + i;
            Map<LoraTarget, LoraLinear> projections = new EnumMap<>(LoraTarget.class);
            for (LoraTarget t : LoraTarget.values()) {
                String module = prefix + "." + t.modulePath();
                boolean adapted = lora.adapts(i) && lora.targets().contains(t);
                projections.put(t, new LoraLinear(module, require(arrays, module + ".weight"),
                        require(arrays, module + ".bias"),
                        adapted ? require(arrays, loraA(module)) : null,
                        adapted ? require(arrays, loraB(module)) : null,
                        lora.scaling(), lora.dropout()));
            }
            Map<String, NDArray> layerArrays = new HashMap<>();
            for (String n : List.of(".attention.output.LayerNorm.weight", ".attention.output.LayerNorm.bias",
                    ".output.LayerNorm.weight", ".output.LayerNorm.bias")) {
                layerArrays.put(prefix + n, require(arrays, prefix + n));
            }
            for (String slot : slotNames(i)) {
                NDArray a = arrays.apply(slot);
                if (a != null) {
                    layerArrays.put(slot, a);
                }
            }
            layers.add(new BertLayer(i, projections, layerArrays, c.numHeads(), c.layerNormEps(), attentionDropout,
                    hiddenDropout));
        }
        return new BertEncoder(embeddings, layers, frozenBottomLayers, arrays.apply(PeftSlots.PROMPT));
    }

    /** Every {@link PeftSlots} array name of encoder layer {@code layer}. */
    static List<String> slotNames(int layer) {
        List<String> names = new ArrayList<>(List.of(PeftSlots.prefixKey(layer), PeftSlots.prefixValue(layer)));
        for (PeftSlots.Sublayer sublayer : PeftSlots.Sublayer.values()) {
            for (PeftSlots.Projection projection : PeftSlots.Projection.values()) {
                names.add(PeftSlots.adapter(layer, sublayer, projection, false));
                names.add(PeftSlots.adapter(layer, sublayer, projection, true));
            }
        }
        return names;
    }

    static String loraA(String module) {
        return module + ".lora_A.weight";
    }

    static String loraB(String module) {
        return module + ".lora_B.weight";
    }

    private static NDArray require(Function<String, NDArray> arrays, String name) {
        NDArray a = arrays.apply(name);
        if (a == null) {
            throw new IllegalStateException("no array for " + name);
        }
        return a;
    }
}
