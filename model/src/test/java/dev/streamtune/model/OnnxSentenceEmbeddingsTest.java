package dev.streamtune.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The ONNX Runtime sentence embeddings are the base model's own, cut to the same number of tokens. */
class OnnxSentenceEmbeddingsTest {

    private static final List<String> TEXTS = List.of(
            "Hi",
            "The refund arrived two weeks after I returned the jacket.",
            "naïve café résumé — unicode, punctuation; and numbers 12345!",
            // Longer than 32 tokens: both cut it the same way.
            "I ordered a replacement charger on the first of the month, paid for express shipping, and was told it "
                    + "would arrive within two working days. It did not. After a week I wrote to support.");

    @Test
    void embeddingsMatchThePyTorchPathTextByText() {
        BaseModel base = TestModels.miniLm();
        float[][] expected = base.embed(TEXTS, 32);
        try (OnnxSentenceEmbeddings onnx = OnnxSentenceEmbeddings.compile(base, 32, 1)) {
            float[][] actual = onnx.embed(TEXTS);
            double worst = 0;
            for (int i = 0; i < TEXTS.size(); i++) {
                assertEquals(base.config().hiddenSize(), actual[i].length);
                for (int d = 0; d < actual[i].length; d++) {
                    worst = Math.max(worst, Math.abs(expected[i][d] - actual[i][d]));
                }
            }
            System.out.printf("onnx sentence embeddings vs pytorch: max abs difference %.2g%n", worst);
            assertTrue(worst < 1e-4, "max abs difference " + worst);
            assertTrue(Math.abs(expected[0][0] - expected[1][0]) + Math.abs(expected[0][1] - expected[1][1]) > 1e-3,
                    "different texts must get different embeddings for the comparison to mean anything");
        }
    }
}
