package dev.streamtune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamtune.model.weights.Dtype;
import dev.streamtune.model.weights.SafetensorsWriter;
import dev.streamtune.model.weights.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Loading a HuggingFace BERT checkpoint directory (config.json + model.safetensors + tokenizer.json). */
class HuggingFaceCheckpointTest {

    /** A small random BERT that shares MiniLM's vocabulary, so MiniLM's tokenizer.json fits it. */
    static final BertConfig TINY = new BertConfig(30522, 32, 2, 4, 64, 64, 2, 1e-12f);

    private static final List<String> TEXTS = List.of("A short sentence.", "Another, slightly longer sentence here.");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Dtype.class, names = {"F32", "F16", "BF16"})
    void loadsWhatWasWrittenAndRuns(Dtype dtype) throws IOException {
        List<Tensor> written = writeCheckpoint(dir, TINY, dtype, 5, false);
        try (BaseModel model = BaseModel.fromHuggingFaceDirectory(dir, "tiny-bert")) {
            assertEquals(TINY, model.config());
            for (Tensor t : written) {
                float[] expected = t.data().clone();
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = dtype.round(expected[i]);
                }
                String name = t.name().replace("bert.", "");
                assertArrayEquals(expected, model.weight(name).toFloatArray(), name);
                assertArrayEquals(t.shape(), model.weight(name).getShape().getShape(), name);
            }
            float[][] e = model.embed(TEXTS);
            assertEquals(2, e.length);
            for (float[] v : e) {
                assertEquals(32, v.length);
                for (float x : v) {
                    assertTrue(Float.isFinite(x));
                }
            }
            assertNotEquals(e[0][0], e[1][0]);
        }
    }

    @Test
    void reducedPrecisionCheckpointsComputeNearlyTheSame() throws IOException {
        float[][] reference = embeddings(Dtype.F32);
        for (Dtype dtype : new Dtype[] {Dtype.F16, Dtype.BF16}) {
            float[][] e = embeddings(dtype);
            for (int i = 0; i < e.length; i++) {
                assertTrue(OnnxParityTest.cosine(reference[i], e[i]) > 0.99, dtype + " cosine");
            }
        }
    }

    @Test
    void acceptsPrefixedNamesAndOldLayerNormNamesAndChecksumsTheWeights() throws IOException {
        Path plain = Files.createDirectory(dir.resolve("plain"));
        Path legacy = Files.createDirectory(dir.resolve("legacy"));
        writeCheckpoint(plain, TINY, Dtype.F32, 9, false);
        writeCheckpoint(legacy, TINY, Dtype.F32, 9, true);
        Path other = Files.createDirectory(dir.resolve("other"));
        writeCheckpoint(other, TINY, Dtype.F32, 10, false);
        try (BaseModel a = BaseModel.fromHuggingFaceDirectory(plain, "a");
                BaseModel b = BaseModel.fromHuggingFaceDirectory(legacy, "b");
                BaseModel c = BaseModel.fromHuggingFaceDirectory(other, "c")) {
            assertEquals(a.checksum(), b.checksum(), "same weights, same checksum whatever the naming");
            assertNotEquals(a.checksum(), c.checksum());
            assertArrayEquals(a.embed(TEXTS)[1], b.embed(TEXTS)[1]);
        }
    }

    @Test
    void refusesCheckpointsThatDoNotFitTheConfig() throws IOException {
        writeCheckpoint(dir, TINY, Dtype.F32, 1, false);
        Files.writeString(dir.resolve("config.json"), configJson(new BertConfig(30522, 32, 3, 4, 64, 64, 2, 1e-12f)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BaseModel.fromHuggingFaceDirectory(dir, "broken"));
        assertTrue(e.getMessage().contains("missing encoder.layer.2"), e.getMessage());

        Files.writeString(dir.resolve("config.json"), configJson(TINY).replace("\"bert\"", "\"roberta\""));
        assertThrows(IllegalArgumentException.class, () -> BaseModel.fromHuggingFaceDirectory(dir, "roberta"));
    }

    private float[][] embeddings(Dtype dtype) throws IOException {
        Path d = Files.createTempDirectory(dir, dtype.name());
        writeCheckpoint(d, TINY, dtype, 5, false);
        try (BaseModel model = BaseModel.fromHuggingFaceDirectory(d, "tiny")) {
            return model.embed(TEXTS);
        }
    }

    /**
     * Writes a random checkpoint directory as transformers' BertForSequenceClassification would: "bert." prefix,
     * plus a pooler and a classifier that the loader must ignore.
     */
    static List<Tensor> writeCheckpoint(Path dir, BertConfig c, Dtype dtype, long seed, boolean oldLayerNormNames)
            throws IOException {
        Random rnd = new Random(seed);
        List<Tensor> tensors = new ArrayList<>();
        for (Map.Entry<String, long[]> e : PretrainedWeights.expectedShapes(c).entrySet()) {
            float[] data = new float[(int) Tensor.elementCount(e.getValue())];
            boolean gamma = e.getKey().endsWith("LayerNorm.weight");
            for (int i = 0; i < data.length; i++) {
                data[i] = gamma ? 1f + 0.1f * (float) rnd.nextGaussian() : 0.05f * (float) rnd.nextGaussian();
            }
            tensors.add(new Tensor("bert." + e.getKey(), e.getValue(), data));
        }
        List<Tensor> onDisk = new ArrayList<>();
        for (Tensor t : tensors) {
            String name = t.name();
            if (oldLayerNormNames) {
                name = name.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta");
            }
            onDisk.add(t.renamed(name));
        }
        onDisk.add(new Tensor("bert.pooler.dense.weight", new long[] {c.hiddenSize(), c.hiddenSize()},
                new float[c.hiddenSize() * c.hiddenSize()]));
        onDisk.add(new Tensor("classifier.weight", new long[] {2, c.hiddenSize()}, new float[2 * c.hiddenSize()]));
        SafetensorsWriter.write(dir.resolve("model.safetensors"), onDisk, Map.of("format", "pt"), dtype);
        Files.writeString(dir.resolve("config.json"), configJson(c));
        try (InputStream tok = HuggingFaceCheckpointTest.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            Files.write(dir.resolve("tokenizer.json"), tok.readAllBytes());
        }
        return tensors;
    }

    static String configJson(BertConfig c) {
        return """
                {"architectures": ["BertForSequenceClassification"], "model_type": "bert", "hidden_act": "gelu",
                 "vocab_size": %d, "hidden_size": %d, "num_hidden_layers": %d, "num_attention_heads": %d,
                 "intermediate_size": %d, "max_position_embeddings": %d, "type_vocab_size": %d,
                 "layer_norm_eps": 1e-12, "position_embedding_type": "absolute"}
                """.formatted(c.vocabSize(), c.hiddenSize(), c.numLayers(), c.numHeads(), c.intermediateSize(),
                c.maxPositions(), c.typeVocabSize());
    }
}
