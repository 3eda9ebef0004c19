package dev.streamtune.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The DJL encoder loaded from the ONNX file computes what ONNX Runtime computes from the same file. */
class OnnxParityTest {

    private static final List<String> SENTENCES = List.of(
            "The cat sits on the mat.",
            "A quick brown fox jumps over the lazy dog while the farmer watches from a distance.",
            "Kafka keeps an ordered, replayable log of records.",
            "Hi",
            "Stock markets fell sharply after the central bank raised interest rates again this quarter.",
            "naïve café résumé — unicode, punctuation; and numbers 12345!");

    @Test
    void meanPooledEmbeddingsMatchOnnxRuntime() throws Exception {
        BaseModel model = TestModels.miniLm();
        float[][] ours = model.embed(SENTENCES);
        float[][] reference = onnxRuntimeEmbeddings(SENTENCES);
        double worst = 0;
        for (int i = 0; i < SENTENCES.size(); i++) {
            assertEquals(384, ours[i].length);
            for (int j = 0; j < ours[i].length; j++) {
                worst = Math.max(worst, Math.abs(ours[i][j] - reference[i][j]));
            }
        }
        assertTrue(worst < 1e-4, "max abs difference to ONNX Runtime " + worst);
    }

    @Test
    void paraphrasesAreCloserThanUnrelatedSentences() {
        float[][] e = TestModels.miniLm().embed(List.of(
                "How do I reset my password?",
                "What is the way to change my forgotten password?",
                "The weather in Lisbon is sunny today.",
                "A man is playing a guitar on stage.",
                "Someone performs music with a guitar in front of an audience.",
                "The invoice is due at the end of the month."));
        assertTrue(cosine(e[0], e[1]) > cosine(e[0], e[2]) + 0.3, "password paraphrase");
        assertTrue(cosine(e[3], e[4]) > cosine(e[3], e[5]) + 0.3, "guitar paraphrase");
        assertTrue(cosine(e[0], e[1]) > 0.6 && cosine(e[3], e[4]) > 0.6);
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    /** Runs the ONNX file itself, one padded batch, and mean-pools over the attention mask. */
    private static float[][] onnxRuntimeEmbeddings(List<String> sentences) throws Exception {
        long[][] ids;
        try (InputStream tok = OnnxParityTest.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json");
                HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tok,
                        Map.of("truncation", "false", "padding", "false"))) {
            ids = new long[sentences.size()][];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = tokenizer.encode(sentences.get(i)).getIds();
            }
        }
        int longest = 0;
        for (long[] s : ids) {
            longest = Math.max(longest, s.length);
        }
        long[][] inputIds = new long[ids.length][longest];
        long[][] mask = new long[ids.length][longest];
        long[][] types = new long[ids.length][longest];
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(ids[i], 0, inputIds[i], 0, ids[i].length);
            for (int j = 0; j < ids[i].length; j++) {
                mask[i][j] = 1;
            }
        }
        byte[] onnx;
        try (InputStream in = OnnxParityTest.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            onnx = in.readAllBytes();
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions());
                OnnxTensor a = OnnxTensor.createTensor(env, inputIds);
                OnnxTensor b = OnnxTensor.createTensor(env, mask);
                OnnxTensor c = OnnxTensor.createTensor(env, types);
                OrtSession.Result result = session.run(Map.of("input_ids", a, "attention_mask", b, "token_type_ids", c))) {
            float[][][] hidden = (float[][][]) result.get(0).getValue();
            float[][] pooled = new float[ids.length][hidden[0][0].length];
            for (int i = 0; i < ids.length; i++) {
                for (int t = 0; t < ids[i].length; t++) {
                    for (int j = 0; j < pooled[i].length; j++) {
                        pooled[i][j] += hidden[i][t][j];
                    }
                }
                for (int j = 0; j < pooled[i].length; j++) {
                    pooled[i][j] /= ids[i].length;
                }
            }
            return pooled;
        }
    }
}
