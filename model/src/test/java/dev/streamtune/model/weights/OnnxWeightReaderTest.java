package dev.streamtune.model.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OnnxWeightReaderTest {

    @Test
    void recoversHuggingFaceNamesAndPyTorchLayoutOfLinearWeights() throws IOException {
        Map<String, Tensor> tensors;
        try (InputStream in = getClass().getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            tensors = OnnxWeightReader.read(in);
        }
        assertFalse(tensors.keySet().stream().anyMatch(n -> n.startsWith("onnx::")), "unnamed initializers left");
        for (int layer = 0; layer < 6; layer++) {
            String p = "encoder.layer." + layer + ".";
            for (String m : new String[] {"attention.self.query", "attention.self.key", "attention.self.value",
                "attention.output.dense"}) {
                assertArrayEquals(new long[] {384, 384}, tensors.get(p + m + ".weight").shape(), p + m);
            }
            assertArrayEquals(new long[] {1536, 384}, tensors.get(p + "intermediate.dense.weight").shape());
            assertArrayEquals(new long[] {384, 1536}, tensors.get(p + "output.dense.weight").shape());
            assertArrayEquals(new long[] {1536}, tensors.get(p + "intermediate.dense.bias").shape());
        }
        assertArrayEquals(new long[] {30522, 384}, tensors.get("embeddings.word_embeddings.weight").shape());
        assertEquals(6 * 6, tensors.keySet().stream().filter(n -> n.endsWith("dense.weight") || n.contains("self.")
                && n.endsWith(".weight")).count());
    }

    @Test
    void transposesTwoDimensionalTensors() {
        Tensor t = new Tensor("w", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6});
        Tensor tt = t.transposed2d();
        assertArrayEquals(new long[] {3, 2}, tt.shape());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, tt.data());
    }

    @Test
    void refusesSomethingThatIsNotAModel() {
        assertThrows(IOException.class, () -> OnnxWeightReader.read(new ByteArrayInputStream(new byte[] {8, 1})));
    }
}
