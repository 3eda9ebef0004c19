package dev.streamtune.model;

import ai.djl.ndarray.NDArray;
import dev.streamtune.model.nn.BertEmbeddings;
import dev.streamtune.model.nn.BertEncoder;
import dev.streamtune.model.nn.BertLayer;
import dev.streamtune.model.nn.LoraLinear;
import dev.streamtune.model.nn.LoraTarget;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Wires the encoder blocks to arrays looked up by HuggingFace/PEFT name. */
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
            Map<String, NDArray> norms = new HashMap<>();
            for (String n : List.of(".attention.output.LayerNorm.weight", ".attention.output.LayerNorm.bias",
                    ".output.LayerNorm.weight", ".output.LayerNorm.bias")) {
                norms.put(prefix + n, require(arrays, prefix + n));
            }
            layers.add(new BertLayer(prefix, projections, norms, c.numHeads(), c.layerNormEps(), attentionDropout,
                    hiddenDropout));
        }
        return new BertEncoder(embeddings, layers, frozenBottomLayers);
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
