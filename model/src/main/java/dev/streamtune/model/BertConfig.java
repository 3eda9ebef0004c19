package dev.streamtune.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Architecture of a BERT-family encoder, as in a HuggingFace {@code config.json}.
 *
 * @param vocabSize word-piece vocabulary size
 * @param hiddenSize width of every token vector
 * @param numLayers number of encoder layers
 * @param numHeads attention heads per layer; must divide {@code hiddenSize}
 * @param intermediateSize width of the feed-forward layer
 * @param maxPositions number of absolute position embeddings (longest input)
 * @param typeVocabSize number of token type (segment) embeddings
 * @param layerNormEps LayerNorm epsilon
 */
public record BertConfig(int vocabSize, int hiddenSize, int numLayers, int numHeads, int intermediateSize,
        int maxPositions, int typeVocabSize, float layerNormEps) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** sentence-transformers/all-MiniLM-L6-v2. */
    public static final BertConfig MINILM_L6 = new BertConfig(30522, 384, 6, 12, 1536, 512, 2, 1e-12f);

    public BertConfig {
        if (vocabSize <= 0 || hiddenSize <= 0 || numLayers <= 0 || numHeads <= 0 || intermediateSize <= 0
                || maxPositions <= 0 || typeVocabSize <= 0 || !(layerNormEps > 0)) {
            throw new IllegalArgumentException("invalid BERT config: " + describe(vocabSize, hiddenSize, numLayers,
                    numHeads, intermediateSize, maxPositions, typeVocabSize, layerNormEps));
        }
        if (hiddenSize % numHeads != 0) {
            throw new IllegalArgumentException("hidden size " + hiddenSize + " is not a multiple of " + numHeads + " heads");
        }
    }

    /** Width of one attention head. */
    public int headDim() {
        return hiddenSize / numHeads;
    }

    /**
     * Reads a HuggingFace {@code config.json}. Only post-LayerNorm BERT with absolute positions and exact GELU is
     * accepted (bert, and models published as such: MiniLM, bge, e5); anything else is refused rather than run
     * with the wrong maths.
     */
    public static BertConfig fromJson(Path configJson) throws IOException {
        JsonNode c = JSON.readTree(configJson.toFile());
        String type = c.path("model_type").asText("bert");
        if (!type.equals("bert")) {
            throw new IllegalArgumentException(configJson + ": model_type '" + type + "' is not supported, only 'bert'");
        }
        String act = c.path("hidden_act").asText("gelu");
        if (!act.equals("gelu")) {
            throw new IllegalArgumentException(configJson + ": hidden_act '" + act + "' is not supported, only 'gelu'");
        }
        String positions = c.path("position_embedding_type").asText("absolute");
        if (!positions.equals("absolute")) {
            throw new IllegalArgumentException(configJson + ": position_embedding_type '" + positions
                    + "' is not supported, only 'absolute'");
        }
        return new BertConfig(
                required(c, "vocab_size", configJson),
                required(c, "hidden_size", configJson),
                required(c, "num_hidden_layers", configJson),
                required(c, "num_attention_heads", configJson),
                required(c, "intermediate_size", configJson),
                c.path("max_position_embeddings").asInt(512),
                c.path("type_vocab_size").asInt(2),
                (float) c.path("layer_norm_eps").asDouble(1e-12));
    }

    private static int required(JsonNode c, String field, Path file) {
        JsonNode n = c.get(field);
        if (n == null || !n.canConvertToInt()) {
            throw new IllegalArgumentException(file + ": missing integer field " + field);
        }
        return n.asInt();
    }

    /** A stable one-line description, part of the base model checksum. */
    public String canonical() {
        return describe(vocabSize, hiddenSize, numLayers, numHeads, intermediateSize, maxPositions, typeVocabSize,
                layerNormEps);
    }

    private static String describe(int vocab, int hidden, int layers, int heads, int inter, int pos, int types,
            float eps) {
        return String.format(Locale.ROOT,
                "bert vocab=%d hidden=%d layers=%d heads=%d intermediate=%d positions=%d types=%d eps=%s", vocab,
                hidden, layers, heads, inter, pos, types, Float.toString(eps));
    }
}
