package dev.streamtune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.streamtune.model.demo.LoraDemo;
import dev.streamtune.model.demo.SyntheticReviews;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrainingSessionTest {

    private static final List<String> LABELS = SyntheticReviews.LABELS;

    @Test
    void loraFineTuningLearnsTheSyntheticTask() throws Exception {
        LoraDemo.Result r = LoraDemo.run(TestModels.miniLm(), 150, 16, new PrintStream(OutputStream.nullOutputStream()));
        assertTrue(r.lastLoss() < r.firstLoss() / 3, "loss fell: " + r);
        assertTrue(r.accuracyBefore() < 0.75, "not solved before training: " + r);
        assertTrue(r.accuracyAfter() > 0.9, "held-out accuracy rose: " + r);
    }

    @Test
    void sameSeedSameTrajectory() {
        List<LabeledText> data = SyntheticReviews.sample(16, new Random(5), false);
        assertEquals(train(data, 42), train(data, 42));
        assertTrue(!train(data, 42).equals(train(data, 43)));
    }

    private static List<Float> train(List<LabeledText> data, long seed) {
        ClassifierConfig config = ClassifierConfig.of(LABELS).withSeed(seed);
        try (TextClassifier c = TextClassifier.create(TestModels.miniLm(), config);
                TrainingSession s = TrainingSession.start(c, TrainingOptions.defaults())) {
            return List.of(s.trainStep(data, 1e-3f), s.trainStep(data, 1e-3f), s.trainStep(data, 1e-3f));
        }
    }

    @Test
    void accumulatingTwoHalvesEqualsOneFullBatch() {
        List<LabeledText> data = SyntheticReviews.sample(8, new Random(6), false);
        ClassifierConfig config = ClassifierConfig.of(LABELS).withDropout(0f, 0f, 0f);
        TrainingOptions noClip = TrainingOptions.defaults().withMaxGradNorm(0f);
        Map<String, float[]> full;
        try (TextClassifier c = TextClassifier.create(TestModels.miniLm(), config);
                TrainingSession s = TrainingSession.start(c, noClip)) {
            s.trainStep(data, 1e-3f);
            s.trainStep(data, 1e-3f);
            full = c.snapshot();
        }
        try (TextClassifier c = TextClassifier.create(TestModels.miniLm(), config);
                TrainingSession s = TrainingSession.start(c, noClip)) {
            for (int step = 0; step < 2; step++) {
                s.accumulate(data.subList(0, 4));
                s.accumulate(data.subList(4, 8));
                s.step(1e-3f);
            }
            Map<String, float[]> accumulated = c.snapshot();
            full.forEach((name, values) -> assertArrayEquals(values, accumulated.get(name), 2e-5f, name));
            assertEquals(2, s.stepCount());
        }
    }

    @Test
    void theBatchLossIsTheWeightedMeanOfTheExamplesCrossEntropy() {
        List<LabeledText> data = SyntheticReviews.sample(2, new Random(8), false);
        LabeledText a = data.get(0);
        LabeledText b = data.get(1);
        ClassifierConfig config = ClassifierConfig.of(LABELS).withDropout(0f, 0f, 0f);
        try (TextClassifier c = TextClassifier.create(TestModels.miniLm(), config);
                TrainingSession s = TrainingSession.start(c, TrainingOptions.defaults())) {
            float lossA = s.accumulate(List.of(a));
            float lossB = s.accumulate(List.of(b));
            float weighted = s.accumulate(List.of(new LabeledText(a.text(), a.label(), 3.0), b));
            assertEquals((3 * lossA + lossB) / 4, weighted, 1e-5f);
            assertEquals((lossA + lossB) / 2, s.accumulate(List.of(a, b)), 1e-5f, "weight 1 is the plain mean");
        }
    }

    @Test
    void anExampleOfWeightTwoHasTheGradientOfTwoCopiesOfIt() {
        List<LabeledText> data = SyntheticReviews.sample(3, new Random(9), false);
        LabeledText a = data.get(0);
        ClassifierConfig config = ClassifierConfig.of(LABELS).withDropout(0f, 0f, 0f);
        Map<String, float[]> doubled = batchGradient(config,
                List.of(new LabeledText(a.text(), a.label(), 2.0), data.get(1), data.get(2)));
        Map<String, float[]> copied = batchGradient(config, List.of(a, a, data.get(1), data.get(2)));
        Map<String, float[]> unweighted = batchGradient(config, data);
        doubled.forEach((name, values) -> assertArrayEquals(copied.get(name), values, 1e-6f, name));
        double difference = doubled.entrySet().stream().mapToDouble(e -> maxAbsDifference(e.getValue(),
                unweighted.get(e.getKey()))).max().orElseThrow();
        assertTrue(difference > 1e-4, "the weight changes the gradient: " + difference);
    }

    @Test
    void weightsMustBePositiveAndFinite() {
        assertThrows(IllegalArgumentException.class, () -> new LabeledText("t", "l", 0.0));
        assertThrows(IllegalArgumentException.class, () -> new LabeledText("t", "l", Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new LabeledText("t", "l", Double.POSITIVE_INFINITY));
    }

    private static double maxAbsDifference(float[] x, float[] y) {
        double max = 0;
        for (int i = 0; i < x.length; i++) {
            max = Math.max(max, Math.abs(x[i] - y[i]));
        }
        return max;
    }

    private static Map<String, float[]> batchGradient(ClassifierConfig config, List<LabeledText> batch) {
        try (TextClassifier c = TextClassifier.create(TestModels.miniLm(), config);
                TrainingSession s = TrainingSession.start(c, TrainingOptions.defaults())) {
            s.accumulate(batch);
            Map<String, float[]> out = new LinkedHashMap<>();
            s.parameters().forEach((name, p) -> {
                try (NDArray g = p.getGradient()) {
                    out.put(name, g.toFloatArray());
                }
            });
            return out;
        }
    }

    @Test
    void resumingWithWeightsAndOptimizerStateContinuesTheSameTrajectory() {
        List<LabeledText> data = SyntheticReviews.sample(8, new Random(7), false);
        ClassifierConfig config = ClassifierConfig.of(LABELS).withDropout(0f, 0f, 0f);
        Map<String, float[]> straight;
        try (TextClassifier c = TextClassifier.create(TestModels.miniLm(), config);
                TrainingSession s = TrainingSession.start(c, TrainingOptions.defaults())) {
            for (int step = 0; step < 4; step++) {
                s.trainStep(data, 1e-3f);
            }
            straight = c.snapshot();
        }
        Map<String, float[]> weights;
        OptimizerState state;
        try (TextClassifier c = TextClassifier.create(TestModels.miniLm(), config);
                TrainingSession s = TrainingSession.start(c, TrainingOptions.defaults())) {
            s.trainStep(data, 1e-3f);
            s.trainStep(data, 1e-3f);
            weights = c.snapshot();
            state = s.optimizerState();
        }
        assertEquals(2, state.steps());
        try (TextClassifier c = TextClassifier.create(TestModels.miniLm(), config);
                TrainingSession s = TrainingSession.start(c, TrainingOptions.defaults())) {
            c.restore(weights);
            s.restoreOptimizerState(state);
            s.trainStep(data, 1e-3f);
            s.trainStep(data, 1e-3f);
            Map<String, float[]> resumed = c.snapshot();
            straight.forEach((name, values) -> assertArrayEquals(values, resumed.get(name), 1e-6f, name));
            assertEquals(4, s.stepCount());
            assertThrows(IllegalArgumentException.class, () -> s.restoreOptimizerState(
                    OptimizerState.adamW(1, Map.of("nope", new float[1]), Map.of("nope", new float[1]))));
        }
    }

    @Test
    void extraLossTermIsDifferentiatedWithTheLoss() {
        List<LabeledText> data = SyntheticReviews.sample(8, new Random(7), false);
        try (TextClassifier c = TextClassifier.create(TestModels.miniLm(), ClassifierConfig.of(LABELS));
                TrainingSession s = TrainingSession.start(c, TrainingOptions.defaults().withWeightDecay(0f))) {
            Map<String, float[]> anchor = c.snapshot();
            for (int i = 0; i < 5; i++) {
                s.trainStep(data, 1e-2f);
            }
            float[] moved = c.snapshot().get("classifier.weight");
            Map<String, float[]> fisher = s.meanSquaredGradients(data.subList(0, 4));
            assertEquals(c.trainableParameterNames(), List.copyOf(fisher.keySet()));
            float[] f = fisher.get("classifier.weight");
            assertEquals(moved.length, f.length);
            assertTrue(f[0] >= 0 && java.util.Arrays.stream(toDoubles(f)).sum() > 0);

            // A strong pull towards the anchor dominates the data term: the head returns towards its start.
            Map<String, float[]> ones = Map.of("classifier.weight", filled(moved.length, 1f));
            try (QuadraticPenalty pull = new QuadraticPenalty(ones, Map.of("classifier.weight", anchor.get("classifier.weight")), 100f)) {
                for (int i = 0; i < 20; i++) {
                    s.accumulate(data, pull);
                    s.step(1e-2f);
                }
            }
            float[] pulled = c.snapshot().get("classifier.weight");
            assertTrue(distance(pulled, anchor.get("classifier.weight")) < distance(moved, anchor.get("classifier.weight")) / 2,
                    "penalty pulled the head back");
        }
    }

    @Test
    void severalExtraTermsAddUpAndSeeTheBatch() {
        List<LabeledText> data = SyntheticReviews.sample(4, new Random(13), false);
        ClassifierConfig config = ClassifierConfig.of(LABELS).withDropout(0f, 0f, 0f);
        Map<String, float[]> twice = termGradients(config, data, 0.5f, 2);
        Map<String, float[]> once = termGradients(config, data, 1f, 1);
        once.forEach((name, g) -> assertArrayEquals(g, twice.get(name), 1e-6f, name));
        try (TextClassifier c = TextClassifier.create(TestModels.miniLm(), config);
                TrainingSession s = TrainingSession.start(c, TrainingOptions.defaults())) {
            List<ForwardPass> seen = new ArrayList<>();
            BatchLossTerm spy = (logits, batch) -> {
                seen.add(new ForwardPass(batch, null, Map.of()));
                assertEquals(new ai.djl.ndarray.types.Shape(4, 2), logits.getShape());
                return logits.sum().mul(logits.getManager().zeros(new ai.djl.ndarray.types.Shape()));
            };
            float plain = s.accumulate(data);
            assertEquals(plain, s.accumulate(data, List.of(spy, spy)), 1e-6f, "returns the cross-entropy alone");
            assertEquals(2, seen.size());
            assertEquals(data, seen.get(0).batch());
        }
    }

    /** Gradients of the batch loss plus {@code copies} unit pulls towards zero of {@code strength} each. */
    private static Map<String, float[]> termGradients(ClassifierConfig config, List<LabeledText> data, float strength,
            int copies) {
        try (TextClassifier c = TextClassifier.create(TestModels.miniLm(), config);
                TrainingSession s = TrainingSession.start(c, TrainingOptions.defaults())) {
            Map<String, float[]> ones = new LinkedHashMap<>();
            Map<String, float[]> zeros = new LinkedHashMap<>();
            c.snapshot().forEach((name, values) -> {
                ones.put(name, filled(values.length, 1f));
                zeros.put(name, new float[values.length]);
            });
            try (QuadraticPenalty pull = new QuadraticPenalty(ones, zeros, strength)) {
                s.accumulate(data, java.util.Collections.nCopies(copies, pull));
            }
            Map<String, float[]> out = new LinkedHashMap<>();
            s.parameters().forEach((name, p) -> {
                try (NDArray g = p.getGradient()) {
                    out.put(name, g.toFloatArray());
                }
            });
            return out;
        }
    }

    @Test
    void gradientsSurviveAGarbageCollectionBetweenForwardAndBackward() {
        // Autograd keeps what backward needs (e.g. the constant of every x * c) past the forward pass. Any such
        // tensor backed by Java memory that the GC may free in between is read after free by backward: the
        // gradients then come out scaled by garbage (the "intermittent non-finite gradients" of the trainer).
        List<LabeledText> data = SyntheticReviews.sample(8, new Random(12), false);
        ClassifierConfig config = ClassifierConfig.of(LABELS).withSeed(3);
        Map<String, float[]> quiet = gradients(config, data, null);
        Map<String, float[]> collected = gradients(config, data, new CollectGarbage());
        assertEquals(quiet.keySet(), collected.keySet());
        quiet.forEach((name, g) -> {
            assertTrue(java.util.Arrays.stream(toDoubles(g)).anyMatch(v -> v != 0), name + " has a gradient");
            assertArrayEquals(g, collected.get(name), 1e-6f, name);
        });
    }

    /** Gradients of one batch's loss plus a unit-weight pull towards zero, optionally after {@code interlude}. */
    private static Map<String, float[]> gradients(ClassifierConfig config, List<LabeledText> data, CollectGarbage interlude) {
        try (TextClassifier c = TextClassifier.create(TestModels.miniLm(), config);
                TrainingSession s = TrainingSession.start(c, TrainingOptions.defaults())) {
            Map<String, float[]> ones = new LinkedHashMap<>();
            Map<String, float[]> zeros = new LinkedHashMap<>();
            c.snapshot().forEach((name, values) -> {
                ones.put(name, filled(values.length, 1f));
                zeros.put(name, new float[values.length]);
            });
            try (QuadraticPenalty pull = new QuadraticPenalty(ones, zeros, 0.5f)) {
                s.accumulate(data, interlude == null ? pull : parameters -> interlude.after(pull.compute(parameters)));
            }
            Map<String, float[]> out = new LinkedHashMap<>();
            s.parameters().forEach((name, p) -> {
                try (NDArray g = p.getGradient()) {
                    out.put(name, g.toFloatArray());
                }
            });
            return out;
        }
    }

    /** Between forward and backward: lets the GC free unreachable direct buffers, then reuses that memory. */
    private static final class CollectGarbage {
        private final List<ByteBuffer> filler = new ArrayList<>();

        NDArray after(NDArray term) {
            System.gc();
            try {
                Thread.sleep(200); // the Cleaner thread frees the buffers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (int i = 0; i < 10_000; i++) {
                filler.add(ByteBuffer.allocateDirect(4).putFloat(0, 1e30f));
            }
            return term;
        }
    }

    @Test
    void restoreRewindsInPlaceEvenDuringASession() {
        List<LabeledText> data = SyntheticReviews.sample(8, new Random(9), false);
        try (TextClassifier c = TextClassifier.create(TestModels.miniLm(), ClassifierConfig.of(LABELS));
                TrainingSession s = TrainingSession.start(c, TrainingOptions.defaults())) {
            s.trainStep(data, 1e-3f);
            Map<String, float[]> best = c.snapshot();
            List<Prediction> bestPredictions = c.predict(List.of(data.get(0).text()));
            s.trainStep(data, 1e-2f);
            c.restore(best);
            best.forEach((name, values) -> assertArrayEquals(values, c.snapshot().get(name), name));
            assertEquals(bestPredictions, c.predict(List.of(data.get(0).text())));
            s.trainStep(data, 1e-3f); // the session keeps training the same arrays
            assertThrows(IllegalArgumentException.class, () -> c.restore(Map.of("nope", new float[1])));
            assertThrows(IllegalArgumentException.class, () -> c.restore(Map.of("classifier.bias", new float[3])));
        }
    }

    @Test
    void misuseFailsClearly() {
        try (TextClassifier c = TextClassifier.create(TestModels.miniLm(), ClassifierConfig.of(LABELS))) {
            TrainingSession s = TrainingSession.start(c, TrainingOptions.defaults());
            assertThrows(IllegalStateException.class, () -> s.step(1e-3f));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> s.accumulate(List.of(new LabeledText("x", "sideways"))));
            assertTrue(e.getMessage().contains("sideways"));
            s.accumulate(List.of(new LabeledText("x", "positive")));
            assertThrows(IllegalStateException.class, () -> s.meanSquaredGradients(List.of(new LabeledText("x", "positive"))));
            assertThrows(IllegalStateException.class, () -> TrainingSession.start(c, TrainingOptions.defaults()));
            s.close();
            assertThrows(IllegalStateException.class, () -> s.accumulate(List.of(new LabeledText("x", "positive"))));
            TrainingSession.start(c, TrainingOptions.defaults()).close(); // one at a time, not one ever
        }
        TextClassifier closedFirst = TextClassifier.create(TestModels.miniLm(), ClassifierConfig.of(LABELS));
        TrainingSession orphan = TrainingSession.start(closedFirst, TrainingOptions.defaults());
        closedFirst.close();
        assertThrows(IllegalStateException.class, () -> orphan.accumulate(List.of(new LabeledText("x", "positive"))));
        orphan.close();
    }

    @Test
    void trainingDoesNotLeakNativeArrays() {
        BaseModel base = TestModels.miniLm();
        try (TextClassifier c = TextClassifier.create(base, ClassifierConfig.of(LABELS))) {
            int before = c.liveArrayCount();
            List<LabeledText> data = SyntheticReviews.sample(8, new Random(8), false);
            try (TrainingSession s = TrainingSession.start(c, TrainingOptions.defaults())) {
                s.trainStep(data, 1e-3f);
                int afterOne = c.liveArrayCount();
                for (int i = 0; i < 20; i++) {
                    s.trainStep(data, 1e-3f);
                }
                s.meanSquaredGradients(data.subList(0, 2));
                assertEquals(afterOne, c.liveArrayCount(), "steady state: own arrays + optimizer moments");
                assertEquals(before + 2 * c.trainableParameterNames().size(), afterOne);
            }
            assertEquals(before, c.liveArrayCount());
        }
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static double distance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }
}
