package dev.streamtune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.streamtune.model.nn.BertClassifier;
import dev.streamtune.model.nn.LoraTarget;
import dev.streamtune.model.nn.MeanPooling;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TextClassifierTest {

    private static final List<String> LABELS = List.of("negative", "neutral", "positive");
    private static final List<String> TEXTS = List.of("I love this.", "It broke after two days and support ignored me.",
            "The parcel arrived on Tuesday.", "ok", "Absolutely fantastic value, would buy again without a doubt!");

    @Test
    void freshAdapterLeavesTheEncoderExactlyAsTheBase() {
        BaseModel base = TestModels.miniLm();
        ClassifierConfig config = ClassifierConfig.of(LABELS)
                .withLora(LoraConfig.defaults().withTargets(EnumSet.allOf(LoraTarget.class)));
        try (TextClassifier classifier = TextClassifier.create(base, config)) {
            float[][] adapted = encoderEmbeddings(classifier, TEXTS);
            float[][] plain = base.embed(TEXTS);
            for (int i = 0; i < TEXTS.size(); i++) {
                assertArrayEquals(plain[i], adapted[i], 1e-6f, TEXTS.get(i));
            }
        }
    }

    @Test
    void onlyAdapterAndHeadAreTrainable() {
        BaseModel base = TestModels.miniLm();
        try (TextClassifier classifier = TextClassifier.create(base, ClassifierConfig.of(LABELS))) {
            List<String> names = classifier.trainableParameterNames();
            assertEquals(6 * 2 * 2 + 2, names.size());
            assertTrue(names.stream().allMatch(n -> n.endsWith("lora_A.weight") || n.endsWith("lora_B.weight")
                    || n.startsWith("classifier.")), names.toString());
            assertEquals(6 * 2 * (8 * 384 + 384 * 8) + 3 * 384 + 3, classifier.trainableParameterCount());
            assertTrue(names.contains("encoder.layer.0.attention.self.query.lora_A.weight"));
            assertTrue(names.contains("encoder.layer.5.attention.self.value.lora_B.weight"));

            assertGradients(classifier, names, false);
            try (TrainingSession session = TrainingSession.start(classifier, TrainingOptions.defaults())) {
                assertGradients(classifier, names, true);
            }
            assertGradients(classifier, names, false);
        }
    }

    /** Own parameters require gradients exactly while a session is open; the shared base weights never do. */
    private static void assertGradients(TextClassifier classifier, List<String> trainable, boolean training) {
        int base = 0;
        for (Parameter p : classifier.block().getParameters().values()) {
            boolean own = trainable.contains(p.getName());
            assertEquals(own && training, p.getArray().hasGradient(), p.getName());
            base += own ? 0 : 1;
        }
        assertEquals(5 + 6 * 16, base);
    }

    @Test
    void unfreezesTopLayersOnCopiesNeverTheSharedBase() {
        BaseModel base = TestModels.miniLm();
        String top = "encoder.layer.5.intermediate.dense.weight";
        float[] before = base.weight(top).toFloatArray();
        ClassifierConfig config = ClassifierConfig.of(LABELS).withTrainableTopLayers(2);
        try (TextClassifier classifier = TextClassifier.create(base, config)) {
            List<String> names = classifier.trainableParameterNames();
            assertTrue(names.contains(top));
            assertTrue(names.contains("encoder.layer.4.output.LayerNorm.bias"));
            assertFalse(names.stream().anyMatch(n -> n.startsWith("encoder.layer.3.") && !n.contains("lora_")));
            try (TrainingSession session = TrainingSession.start(classifier, TrainingOptions.defaults())) {
                session.trainStep(List.of(new LabeledText("great", "positive"), new LabeledText("bad", "negative")), 1e-3f);
            }
            assertFalse(java.util.Arrays.equals(before, classifier.snapshot().get(top)), "the copy trained");
            assertArrayEquals(before, base.weight(top).toFloatArray(), "the shared base did not move");
        }
        assertThrows(IllegalArgumentException.class,
                () -> TextClassifier.create(base, ClassifierConfig.of(LABELS).withTrainableTopLayers(7)));
    }

    @Test
    void predictionsAreProbabilitiesAndDeterministic() {
        BaseModel base = TestModels.miniLm();
        try (TextClassifier classifier = TextClassifier.create(base, ClassifierConfig.of(LABELS))) {
            List<Prediction> first = classifier.predict(TEXTS);
            assertEquals(TEXTS.size(), first.size());
            for (Prediction p : first) {
                float sum = 0;
                for (float x : p.probabilities()) {
                    assertTrue(x > 0 && x < 1);
                    sum += x;
                }
                assertEquals(1f, sum, 1e-5f);
                assertTrue(LABELS.contains(p.label()));
            }
            assertEquals(first, classifier.predict(TEXTS));
            // A text's result does not depend on its position in the call.
            List<String> reversed = new ArrayList<>(TEXTS);
            java.util.Collections.reverse(reversed);
            List<Prediction> back = classifier.predict(reversed);
            for (int i = 0; i < TEXTS.size(); i++) {
                assertArrayEquals(first.get(i).probabilities(), back.get(TEXTS.size() - 1 - i).probabilities(), 1e-6f);
            }
            assertEquals(List.of(), classifier.predict(List.of()));
        }
    }

    @Test
    void aTemperatureDividesTheLogitsAndChangesNoLabel() {
        try (TextClassifier classifier = TextClassifier.create(TestModels.miniLm(), ClassifierConfig.of(LABELS))) {
            assertEquals(1f, classifier.temperature());
            float[][] raw = classifier.logits(TEXTS);
            float[][] direct = logits(classifier, TEXTS);
            for (int i = 0; i < TEXTS.size(); i++) {
                assertArrayEquals(direct[i], raw[i], 1e-5f, "logits() are the block's raw logits");
            }
            List<Prediction> plain = classifier.predict(TEXTS);
            classifier.calibrate(0.25);
            List<Prediction> sharp = classifier.predict(TEXTS);
            for (int i = 0; i < TEXTS.size(); i++) {
                double[] expected = TemperatureScaling.softmax(raw[i], 0.25);
                float[] actual = sharp.get(i).probabilities();
                for (int c = 0; c < expected.length; c++) {
                    assertEquals(expected[c], actual[c], 1e-5, TEXTS.get(i));
                }
                assertEquals(plain.get(i).label(), sharp.get(i).label());
                assertTrue(sharp.get(i).confidence() > plain.get(i).confidence(), "T < 1 sharpens");
            }
            assertArrayEquals(raw[0], classifier.logits(TEXTS)[0], "logits() ignore the temperature");
            assertThrows(IllegalArgumentException.class, () -> classifier.calibrate(0));
            try (TextClassifier grown = classifier.adapted(classifier.config().withLabels(List.of("negative",
                    "neutral", "positive", "mixed")))) {
                assertEquals(0.25f, grown.temperature(), "a grown head keeps its temperature");
            }
        }
    }

    @Test
    void concurrentPredictionsEqualSerialOnes() throws Exception {
        BaseModel base = TestModels.miniLm();
        try (TextClassifier classifier = TextClassifier.create(base, ClassifierConfig.of(LABELS))) {
            List<List<String>> requests = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                requests.add(List.of(TEXTS.get(i % TEXTS.size()), TEXTS.get((i * 7 + 3) % TEXTS.size())));
            }
            List<List<Prediction>> serial = new ArrayList<>();
            for (List<String> r : requests) {
                serial.add(classifier.predict(r));
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<List<Prediction>>> futures = new ArrayList<>();
                for (List<String> r : requests) {
                    futures.add(pool.submit(() -> classifier.predict(r)));
                }
                for (int i = 0; i < requests.size(); i++) {
                    assertEquals(serial.get(i), futures.get(i).get(), "request " + i);
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void closingFreesOnlyTheClassifierAndRefusesLaterCalls() {
        BaseModel base = TestModels.miniLm();
        int baseline = base.liveArrayCount();
        TextClassifier classifier = TextClassifier.create(base, ClassifierConfig.of(LABELS));
        int withClassifier = base.liveArrayCount();
        assertEquals(baseline + 6 * 2 * 2 + 2, withClassifier);
        classifier.predict(TEXTS);
        assertEquals(withClassifier, base.liveArrayCount(), "a prediction leaves nothing behind");
        classifier.close();
        classifier.close();
        assertEquals(baseline, base.liveArrayCount());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> classifier.predict("late"));
        assertTrue(e.getMessage().contains("closed"));
        assertEquals(384, base.embed(List.of("the base model still works"))[0].length);
    }

    @Test
    void hotSwapServesThroughoutAndReleasesTheOldAdapter() throws Exception {
        BaseModel base = TestModels.miniLm();
        int baseline = base.liveArrayCount();
        var current = new java.util.concurrent.atomic.AtomicReference<>(
                TextClassifier.create(base, ClassifierConfig.of(LABELS).withSeed(1)));
        var failures = new java.util.concurrent.atomic.AtomicInteger();
        var served = new java.util.concurrent.atomic.AtomicInteger();
        Thread server = new Thread(() -> {
            while (served.get() < 60) {
                TextClassifier c = current.get();
                try {
                    c.predict(TEXTS.subList(0, 2));
                    served.incrementAndGet();
                } catch (IllegalStateException closedMeanwhile) {
                    // a request that picked the old classifier just before it closed: retry on the new one
                } catch (RuntimeException ex) {
                    failures.incrementAndGet();
                }
            }
        });
        server.start();
        TextClassifier next = TextClassifier.create(base, ClassifierConfig.of(LABELS).withSeed(2));
        next.predict("warm up");
        TextClassifier old = current.getAndSet(next);
        old.close();
        server.join(60_000);
        assertEquals(0, failures.get());
        assertEquals(baseline + 6 * 2 * 2 + 2, base.liveArrayCount());
        next.close();
        assertEquals(baseline, base.liveArrayCount());
    }

    /** Mean-pooled output of the classifier's own encoder (with its adapters), as the base's embed() computes. */
    static float[][] encoderEmbeddings(TextClassifier classifier, List<String> texts) {
        BertClassifier block = (BertClassifier) classifier.block();
        TokenBatch batch = classifier.tokenize(texts);
        try (NDManager m = NDManager.newBaseManager("PyTorch"); Torch.Scope torch = Torch.enter(false)) {
            NDList inputs = batch.toInputs(m);
            NDArray hidden = block.encoder().forward(new ParameterStore(m, false), inputs, false).head();
            float[] flat = MeanPooling.apply(hidden, inputs.size() > 2 ? inputs.get(2) : null).toFloatArray();
            int h = (int) hidden.getShape().get(2);
            float[][] out = new float[texts.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = java.util.Arrays.copyOfRange(flat, i * h, (i + 1) * h);
            }
            return out;
        }
    }

    @Test
    void adaptedToAppendedLabelsKeepsOldLogitsLoraAndLearnedLabelsExactly() throws Exception {
        BaseModel base = TestModels.miniLm();
        try (TextClassifier trained = TextClassifier.create(base, ClassifierConfig.of(LABELS))) {
            // As if trained: non-zero LoRA B (a fresh one is zero and would hide a LoRA left behind) and a bias.
            Map<String, float[]> weights = trained.snapshot();
            java.util.Random random = new java.util.Random(3);
            weights.replaceAll((name, values) -> {
                float[] changed = values.clone();
                if (name.endsWith("lora_B.weight") || name.equals("classifier.bias")) {
                    for (int i = 0; i < changed.length; i++) {
                        changed[i] = (float) random.nextGaussian() * 0.05f;
                    }
                }
                return changed;
            });
            trained.restore(weights);
            trained.assumeLearned(List.of("negative", "positive"));
            List<String> grownLabels = List.of("negative", "neutral", "positive", "mixed", "sarcastic");
            // MEAN_OF_OLD: the rule under which growing alone provably changes no prediction; old logits are kept
            // under every rule (HeadGrowthTest checks the rows of each).
            try (TextClassifier grown = trained.adapted(trained.config().withLabels(grownLabels),
                    HeadGrowth.NewRows.MEAN_OF_OLD)) {
                assertEquals(grownLabels, grown.labels());
                float[][] before = logits(trained, TEXTS);
                float[][] after = logits(grown, TEXTS);
                for (int i = 0; i < TEXTS.size(); i++) {
                    assertEquals(5, after[i].length);
                    // the same weights; a matmul over more rows may block its sums differently (last-bit changes)
                    assertArrayEquals(before[i], java.util.Arrays.copyOf(after[i], 3), 1e-6f, TEXTS.get(i));
                    assertEquals(trained.predict(TEXTS.get(i)).label(), grown.predict(TEXTS.get(i)).label(),
                            "growing alone changes no prediction");
                }
                Map<String, float[]> carried = grown.snapshot();
                weights.forEach((name, values) -> assertArrayEquals(values,
                        java.util.Arrays.copyOf(carried.get(name), values.length), name + ": old values bit for bit"));
                assertEquals(java.util.Optional.of(List.of("negative", "positive")), grown.learnedLabels());

                java.nio.file.Path file = java.nio.file.Files.createTempFile("grown", ".adapter");
                grown.save(file, Map.of());
                try (TextClassifier reloaded = TextClassifier.load(base, file)) {
                    assertEquals(grownLabels, reloaded.labels());
                    assertArrayEquals(after[0], logits(reloaded, TEXTS)[0], 1e-6f);
                } finally {
                    java.nio.file.Files.delete(file);
                }
            }
            assertThrows(IllegalArgumentException.class, () -> trained.adapted(trained.config().withLabels(
                    List.of("positive", "negative", "neutral"))), "a reordered label set is refused");
            assertThrows(IllegalArgumentException.class, () -> trained.adapted(trained.config().withLabels(
                    List.of("negative", "neutral"))), "a removed label is refused");
            assertThrows(IllegalArgumentException.class, () -> trained.adapted(trained.config()
                    .withLora(LoraConfig.defaults().withRank(4, 8f))), "a LoRA shape change is refused");
        }
    }

    /** Raw logits of the classifier's block, per text (inference mode). */
    static float[][] logits(TextClassifier classifier, List<String> texts) {
        TokenBatch batch = classifier.tokenize(texts);
        try (NDManager m = NDManager.newBaseManager("PyTorch"); Torch.Scope torch = Torch.enter(false)) {
            float[] flat = classifier.block().forward(new ParameterStore(m, false), batch.toInputs(m), false)
                    .head().toFloatArray();
            int c = classifier.labels().size();
            float[][] out = new float[texts.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = java.util.Arrays.copyOfRange(flat, i * c, (i + 1) * c);
            }
            return out;
        }
    }

    @Test
    void configValidation() {
        assertThrows(IllegalArgumentException.class, () -> ClassifierConfig.of(List.of("only")));
        assertThrows(IllegalArgumentException.class, () -> ClassifierConfig.of(List.of("a", "a")));
        assertThrows(IllegalArgumentException.class, () -> new LoraConfig(0, 1f, 0f, EnumSet.of(LoraTarget.QUERY)));
        assertThrows(IllegalArgumentException.class, () -> LoraConfig.defaults().withDropout(1f));
        assertNotEquals(LoraConfig.none(), LoraConfig.defaults());
        assertThrows(IllegalArgumentException.class,
                () -> TextClassifier.create(TestModels.miniLm(), ClassifierConfig.of(LABELS).withMaxSequenceLength(513)));
        try (TextClassifier fresh = TextClassifier.create(TestModels.miniLm(), ClassifierConfig.of(LABELS))) {
            assertEquals(Map.of(), fresh.lineage());
        }
    }
}
