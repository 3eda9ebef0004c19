package dev.streamtune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamtune.model.demo.SyntheticReviews;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoRA in the top layers only, and the cache of the frozen layers' output. */
class FrozenLayersTest {

    private static final List<String> LABELS = SyntheticReviews.LABELS;
    /** MiniLM has 6 layers: adapters in layers 4 and 5, layers 0-3 frozen. */
    private static final ClassifierConfig TOP_TWO = ClassifierConfig.of(LABELS)
            .withLora(LoraConfig.defaults().withFirstLayer(4))
            .withDropout(0f, 0f, 0f)
            .withMaxSequenceLength(32);

    /** A base model of its own: the cache is a base model's setting, and the shared test model stays without. */
    private static BaseModel cached;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadCachedBase() {
        cached = BuiltInModels.miniLm();
        cached.cacheFrozenLayers(64L << 20);
    }

    @AfterAll
    static void closeCachedBase() {
        cached.close();
    }

    @Test
    void onlyTheLayersFromTheFirstOneUpGetAdapters() {
        try (TextClassifier c = TextClassifier.create(TestModels.miniLm(), TOP_TWO)) {
            List<String> names = c.trainableParameterNames();
            assertTrue(names.contains("encoder.layer.4.attention.self.query.lora_A.weight"), names.toString());
            assertTrue(names.contains("encoder.layer.5.attention.self.value.lora_B.weight"), names.toString());
            assertFalse(names.stream().anyMatch(n -> n.matches("encoder\\.layer\\.[0-3]\\..*")), names.toString());
            assertEquals(4, TOP_TWO.frozenBottomLayers(6));
        }
    }

    @Test
    void theFrozenDepthIsBelowTheAdaptersAndTheUnfrozenLayers() {
        ClassifierConfig all = ClassifierConfig.of(LABELS);
        assertEquals(0, all.frozenBottomLayers(6), "LoRA everywhere: nothing frozen, BERT's dropout as before");
        assertEquals(3, TOP_TWO.withTrainableTopLayers(3).frozenBottomLayers(6), "unfrozen layers 3-5 train");
        assertEquals(6, all.withLora(LoraConfig.none()).frozenBottomLayers(6), "head only: the whole encoder");
        assertEquals(5, all.withLora(LoraConfig.none()).withTrainableTopLayers(1).frozenBottomLayers(6));
    }

    @Test
    void aFirstLayerAboveTheModelIsRefusedWithTheRange() {
        ClassifierConfig tooHigh = ClassifierConfig.of(LABELS).withLora(LoraConfig.defaults().withFirstLayer(6));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TextClassifier.create(TestModels.miniLm(), tooHigh));
        assertTrue(e.getMessage().contains("0 .. 5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LoraConfig.defaults().withFirstLayer(-1));
    }

    @Test
    void trainingOnCachedFrozenLayersMatchesComputingThemEveryStep() {
        List<LabeledText> data = SyntheticReviews.sample(16, new Random(11), false);
        List<String> texts = data.stream().map(LabeledText::text).toList();
        long hitsBefore = cached.frozenLayerCacheStats().orElseThrow().hits();
        Map<String, float[]> computed;
        float[][] computedLogits;
        List<Float> computedLosses;
        try (TextClassifier c = TextClassifier.create(TestModels.miniLm(), TOP_TWO);
                TrainingSession s = TrainingSession.start(c, TrainingOptions.defaults())) {
            computedLosses = List.of(s.trainStep(data, 1e-2f), s.trainStep(data, 1e-2f), s.trainStep(data, 1e-2f));
            computed = c.snapshot();
            computedLogits = c.logits(texts);
        }
        try (TextClassifier c = TextClassifier.create(cached, TOP_TWO);
                TrainingSession s = TrainingSession.start(c, TrainingOptions.defaults())) {
            List<Float> losses = List.of(s.trainStep(data, 1e-2f), s.trainStep(data, 1e-2f), s.trainStep(data, 1e-2f));
            for (int i = 0; i < losses.size(); i++) {
                assertEquals(computedLosses.get(i), losses.get(i), 1e-4f, "loss of step " + i);
            }
            assertNotEquals(losses.get(0), losses.get(2), "the steps trained");
            Map<String, float[]> snapshot = c.snapshot();
            computed.forEach((name, values) -> assertArrayEquals(values, snapshot.get(name), 1e-4f, name));
            float[][] logits = c.logits(texts);
            for (int i = 0; i < logits.length; i++) {
                assertArrayEquals(computedLogits[i], logits[i], 1e-4f, texts.get(i));
            }
        }
        FrozenLayerCache.Stats stats = cached.frozenLayerCacheStats().orElseThrow();
        assertTrue(stats.hits() - hitsBefore >= 3L * texts.size() - texts.size(),
                "steps 2 and 3 and the logits found every text: " + stats);
    }

    @Test
    void aClassifierWithAdaptersEverywhereDoesNotTouchTheCache() {
        FrozenLayerCache.Stats before = cached.frozenLayerCacheStats().orElseThrow();
        try (TextClassifier c = TextClassifier.create(cached, ClassifierConfig.of(LABELS))) {
            c.predict(List.of("a review that is not cached"));
        }
        FrozenLayerCache.Stats after = cached.frozenLayerCacheStats().orElseThrow();
        assertEquals(before.hits() + before.misses(), after.hits() + after.misses());
    }

    @Test
    void theFirstLayerIsSavedAndALoadedAdapterAnswersAsTheOriginal() throws IOException {
        Path file = dir.resolve("top-two.adapter");
        List<String> texts = List.of("great value, works as described", "broke after a day");
        float[][] expected;
        try (TextClassifier c = TextClassifier.create(TestModels.miniLm(), TOP_TWO);
                TrainingSession s = TrainingSession.start(c, TrainingOptions.defaults())) {
            s.trainStep(SyntheticReviews.sample(8, new Random(3), false), 1e-2f);
            expected = c.logits(texts);
            c.save(file, Map.of());
        }
        assertEquals(4, AdapterFile.read(file).metadata().classifier().lora().firstLayer());
        try (TextClassifier loaded = TextClassifier.load(cached, file)) {
            assertEquals(TOP_TWO.lora(), loaded.config().lora());
            float[][] logits = loaded.logits(texts);
            for (int i = 0; i < logits.length; i++) {
                assertArrayEquals(expected[i], logits[i], 1e-4f);
            }
        }
    }

    @Test
    void aFileWrittenBeforeTheFirstLayerWasRecordedHasAdaptersEverywhere() throws IOException {
        Path file = dir.resolve("all-layers.adapter");
        try (TextClassifier c = TextClassifier.create(TestModels.miniLm(), ClassifierConfig.of(LABELS))) {
            c.save(file, Map.of());
        }
        var contents = dev.streamtune.model.weights.SafetensorsReader.read(file);
        Map<String, String> older = new java.util.TreeMap<>(contents.metadata());
        assertEquals("0", older.remove(AdapterFile.LORA_FIRST_LAYER));
        Path before = dir.resolve("before-first-layer.adapter");
        dev.streamtune.model.weights.SafetensorsWriter.write(before, List.copyOf(contents.tensors().values()), older,
                dev.streamtune.model.weights.Dtype.F32);
        try (TextClassifier loaded = TextClassifier.load(TestModels.miniLm(), before)) {
            assertEquals(0, loaded.config().lora().firstLayer());
            assertEquals(ClassifierConfig.of(LABELS).lora(), loaded.config().lora());
        }
    }
}
