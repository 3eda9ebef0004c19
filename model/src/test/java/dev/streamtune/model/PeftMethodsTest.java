package dev.streamtune.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamtune.model.nn.PeftSlots;
import dev.streamtune.model.onnx.ClassifierGraph.Precision;
import dev.streamtune.model.peft.BottleneckAdapters;
import dev.streamtune.model.peft.PeftMethod;
import dev.streamtune.model.peft.PrefixTuning;
import dev.streamtune.model.peft.PromptTuning;
import dev.streamtune.model.weights.SafetensorsReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every parameter-efficient method: learns a real-text task, round-trips through its adapter file, and gives the
 * same logits on ONNX Runtime as on PyTorch.
 */
class PeftMethodsTest {

    private static final List<String> LABELS = List.of("animal", "food", "artifact");

    /** The methods beside plain LoRA, each as a classifier configuration (the method alone, no LoRA). */
    static Stream<Arguments> methods() {
        ClassifierConfig base = ClassifierConfig.of(LABELS).withMaxSequenceLength(48).withSeed(3);
        return Stream.of(
                Arguments.of("rslora", base.withLora(LoraConfig.defaults().withRankStabilized(true))),
                Arguments.of(BottleneckAdapters.KIND, base.withLora(LoraConfig.none())
                        .withPeft(new BottleneckAdapters(16))),
                Arguments.of(PrefixTuning.KIND, base.withLora(LoraConfig.none()).withPeft(new PrefixTuning(5))),
                Arguments.of(PromptTuning.KIND, base.withLora(LoraConfig.none()).withPeft(new PromptTuning(5))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void learnsRealTextAboveTheMajorityBaselineAndLoadsAndCompilesAsTrained(String name, ClassifierConfig config,
            @TempDir Path dir) throws Exception {
        List<LabeledText> all = new ArrayList<>(WordnetGlosses.read(70));
        Collections.shuffle(all, new Random(1));
        List<LabeledText> test = all.subList(0, 60);
        List<LabeledText> train = all.subList(60, all.size());
        double majority = LABELS.stream().mapToLong(l -> test.stream().filter(e -> e.label().equals(l)).count())
                .max().orElseThrow() / (double) test.size();
        try (TextClassifier classifier = TextClassifier.create(TestModels.miniLm(), config)) {
            Map<String, float[]> start = classifier.snapshot();
            try (TrainingSession session = TrainingSession.start(classifier, TrainingOptions.defaults())) {
                for (int step = 0; step < 24; step++) {
                    int from = (step * 16) % (train.size() - 16);
                    session.trainStep(train.subList(from, from + 16), 3e-3f);
                }
            }
            double accuracy = accuracy(classifier, test);
            System.out.printf("%s: %d trainable weights, test accuracy %.3f (majority %.3f)%n", name,
                    classifier.trainableParameterCount(), accuracy, majority);
            assertTrue(accuracy > majority + 0.2, name + ": accuracy " + accuracy + " vs majority " + majority);
            // The method's own arrays learned (not only the head).
            Map<String, float[]> end = classifier.snapshot();
            long moved = end.keySet().stream().filter(n -> !n.startsWith("classifier."))
                    .filter(n -> !Arrays.equals(start.get(n), end.get(n))).count();
            assertTrue(moved > 0, name + ": no array of the method changed");

            Path file = dir.resolve(name + ".safetensors");
            classifier.save(file, Map.of());
            Map<String, String> meta = SafetensorsReader.read(file).metadata();
            assertEquals("2", meta.get("format_version"), "files with new methods are refused by older builds");
            try (TextClassifier loaded = TextClassifier.load(TestModels.miniLm(), file)) {
                assertEquals(config, loaded.config());
                float[][] expected = classifier.logits(texts(test));
                assertTrue(OnnxClassifierTest.maxDifference(expected, loaded.logits(texts(test))) == 0, "loaded as saved");
                try (OnnxClassifier onnx = OnnxClassifier.compile(loaded, Precision.FP32, 1);
                        OnnxClassifier int8 = OnnxClassifier.compile(loaded, Precision.INT8, 1)) {
                    double diff = OnnxClassifierTest.maxDifference(expected, onnx.logits(texts(test)));
                    System.out.printf("%s: onnx-fp32 vs pytorch max abs logit difference %.2g%n", name, diff);
                    assertTrue(diff < 1e-4, name + ": ONNX fp32 logits differ by " + diff);
                    assertTrue(accuracy(int8, test) > majority + 0.2, name + " on int8");
                }
            }
        }
    }

    @Test
    void aNewBottleneckAdapterComputesExactlyTheBaseEncoder() {
        ClassifierConfig plain = ClassifierConfig.of(LABELS).withLora(LoraConfig.none());
        try (TextClassifier base = TextClassifier.create(TestModels.miniLm(), plain);
                TextClassifier adapters = TextClassifier.create(TestModels.miniLm(),
                        plain.withPeft(new BottleneckAdapters(8)))) {
            Map<String, float[]> head = new LinkedHashMap<>(base.snapshot());
            adapters.restore(head);
            List<String> texts = List.of("a cat", "bread and butter, a longer text than the other");
            assertTrue(OnnxClassifierTest.maxDifference(base.logits(texts), adapters.logits(texts)) < 1e-5);
        }
    }

    @Test
    void aPromptStartsAsRealTokenVectorsAndPoolingIgnoresIt() {
        ClassifierConfig config = ClassifierConfig.of(LABELS).withLora(LoraConfig.none())
                .withPeft(new PromptTuning(4));
        try (TextClassifier prompted = TextClassifier.create(TestModels.miniLm(), config)) {
            float[] prompt = prompted.snapshot().get(PeftSlots.PROMPT);
            int h = TestModels.miniLm().config().hiddenSize();
            double mean = 0;
            double square = 0;
            for (int i = 0; i < h; i++) {
                mean += prompt[i] / h;
                square += prompt[i] * prompt[i] / h;
            }
            // Embeddings-layer outputs: LayerNorm-shaped, not N(0, 1) noise nor zeros.
            assertTrue(Math.abs(mean) < 0.2 && square > 0.01 && square < 10, "mean " + mean + ", square " + square);
            // Two texts, one padded in the batch: each gets what it gets alone (the mask covers the prompt).
            List<String> texts = List.of("tea", "a hot drink made by infusing dried leaves in boiling water");
            float[][] together = prompted.logits(texts);
            assertTrue(OnnxClassifierTest.maxDifference(new float[][] {together[0]}, prompted.logits(List.of(texts.get(0)))) < 1e-4);
        }
    }

    @Test
    void aFileOfAnUnknownMethodOrAnotherMethodIsRefusedClearly(@TempDir Path dir) throws Exception {
        PeftMethod madeUp = new PeftMethod() {
            @Override
            public String kind() {
                return "made-up-method";
            }

            @Override
            public Map<String, String> settings() {
                return Map.of();
            }

            @Override
            public Map<String, long[]> shapes(BertConfig base) {
                return Map.of(PeftSlots.PROMPT, new long[] {1, base.hiddenSize()});
            }

            @Override
            public float[] initialValues(String name, long[] shape, BertConfig base,
                    Function<String, float[]> baseWeights, SplittableRandom random) {
                return new float[(int) (shape[0] * shape[1])];
            }
        };
        Path file = dir.resolve("made-up.safetensors");
        try (TextClassifier c = TextClassifier.create(TestModels.miniLm(),
                ClassifierConfig.of(LABELS).withLora(LoraConfig.none()).withPeft(madeUp))) {
            c.save(file, Map.of());
        }
        CorruptAdapterException e = assertThrows(CorruptAdapterException.class,
                () -> TextClassifier.load(TestModels.miniLm(), file));
        assertTrue(e.getMessage().contains("unknown PEFT method 'made-up-method'")
                && e.getMessage().contains(PrefixTuning.KIND), e.getMessage());

        try (TextClassifier prefix = TextClassifier.create(TestModels.miniLm(),
                ClassifierConfig.of(LABELS).withLora(LoraConfig.none()).withPeft(new PrefixTuning(3)))) {
            IllegalArgumentException change = assertThrows(IllegalArgumentException.class,
                    () -> prefix.adapted(prefix.config().withPeft(new PromptTuning(3))));
            assertTrue(change.getMessage().contains("cannot change the PEFT method"), change.getMessage());
            assertFalse(prefix.adapted(prefix.config().withLabels(List.of("animal", "food", "artifact", "plant")))
                    .snapshot().isEmpty(), "a head may still grow");
        }
    }

    @Test
    void rsLoraScalesByTheRootOfTheRank() {
        LoraConfig lora = LoraConfig.defaults().withRank(16, 16f);
        assertEquals(1f, lora.scaling(), 1e-6);
        assertEquals(4f, lora.withRankStabilized(true).scaling(), 1e-6);
    }

    private static List<String> texts(List<LabeledText> examples) {
        return examples.stream().map(LabeledText::text).toList();
    }

    private static double accuracy(TextPredictor predictor, List<LabeledText> examples) {
        List<Prediction> predictions = predictor.predict(texts(examples));
        int right = 0;
        for (int i = 0; i < examples.size(); i++) {
            right += predictions.get(i).label().equals(examples.get(i).label()) ? 1 : 0;
        }
        return right / (double) examples.size();
    }
}
