package dev.streamtune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamtune.model.demo.SyntheticReviews;
import dev.streamtune.model.optimizer.AdamW;
import dev.streamtune.model.optimizer.RmsProp;
import dev.streamtune.model.optimizer.SgdMomentum;
import dev.streamtune.model.optimizer.UpdateRule;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every update rule through a real {@link TrainingSession}: resume, learning, state checks, frozen parameters. */
class OptimizerMethodsTest {

    private static final List<String> LABELS = SyntheticReviews.LABELS;
    private static final ClassifierConfig NO_DROPOUT = ClassifierConfig.of(LABELS).withDropout(0f, 0f, 0f)
            .withMaxSequenceLength(32);

    /** Each method with a learning rate that suits it (SGD's step is the raw gradient: it needs far more). */
    static Stream<Arguments> methods() {
        return Stream.of(Arguments.of(AdamW.defaults(), 2e-3f), Arguments.of(new SgdMomentum(0.9f), 5e-2f),
                Arguments.of(RmsProp.withAlpha(0.99f), 1e-3f));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void resumingFromTheStateFollowsTheUninterruptedTrajectory(UpdateRule rule, float lr) {
        List<LabeledText> data = SyntheticReviews.sample(8, new Random(7), false);
        TrainingOptions options = TrainingOptions.defaults().withUpdateRule(rule);
        Map<String, float[]> straight;
        try (TextClassifier c = TextClassifier.create(TestModels.miniLm(), NO_DROPOUT);
                TrainingSession s = TrainingSession.start(c, options)) {
            for (int step = 0; step < 4; step++) {
                s.trainStep(data, lr);
            }
            straight = c.snapshot();
        }
        Map<String, float[]> weights;
        OptimizerState state;
        try (TextClassifier c = TextClassifier.create(TestModels.miniLm(), NO_DROPOUT);
                TrainingSession s = TrainingSession.start(c, options)) {
            s.trainStep(data, lr);
            s.trainStep(data, lr);
            weights = c.snapshot();
            state = s.optimizerState();
        }
        assertEquals(rule.name(), state.method());
        assertEquals(2, state.steps());
        assertEquals(rule.slots(), state.slotNames());
        Map<String, float[]> afterTwo = weights;
        try (TextClassifier c = TextClassifier.create(TestModels.miniLm(), NO_DROPOUT);
                TrainingSession s = TrainingSession.start(c, options)) {
            c.restore(weights);
            s.restoreOptimizerState(state);
            s.trainStep(data, lr);
            s.trainStep(data, lr);
            Map<String, float[]> resumed = c.snapshot();
            straight.forEach((name, values) -> assertArrayEquals(values, resumed.get(name), 1e-6f, name));
            assertEquals(4, s.stepCount());
            assertTrue(!java.util.Arrays.equals(afterTwo.get("classifier.weight"), resumed.get("classifier.weight")),
                    "the last two steps moved the head");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void learnsTheSyntheticTaskAboveItsMajorityBaseline(UpdateRule rule, float lr) {
        Random rnd = new Random(1);
        List<LabeledText> heldOut = SyntheticReviews.sample(100, new Random(2), true);
        long positives = heldOut.stream().filter(e -> e.label().equals("positive")).count();
        double majority = Math.max(positives, heldOut.size() - positives) / (double) heldOut.size();
        ClassifierConfig config = ClassifierConfig.of(LABELS).withMaxSequenceLength(32);
        try (TextClassifier c = TextClassifier.create(TestModels.miniLm(), config);
                TrainingSession s = TrainingSession.start(c, TrainingOptions.defaults().withUpdateRule(rule))) {
            double first = 0;
            double last = 0;
            int steps = 40;
            for (int step = 0; step < steps; step++) {
                float rate = lr * Math.min(1f, (step + 1) / 5f); // a short warm-up, as the trainer's schedule
                float loss = s.trainStep(SyntheticReviews.sample(16, rnd, false), rate);
                if (step < 5) {
                    first += loss / 5;
                } else if (step >= steps - 5) {
                    last += loss / 5;
                }
            }
            double accuracy = accuracy(c, heldOut);
            assertTrue(last < first * 0.7, rule.name() + ": loss fell from " + first + " to " + last);
            assertTrue(accuracy > majority + 0.15, rule.name() + ": held-out accuracy " + accuracy + " vs majority "
                    + majority);
        }
    }

    @Test
    void adamWGivesTheNumbersOfTheImplementationBeforeOptimizersWereRules() {
        // Measured with the AdamW code inlined in TrainingSession (commit 2dbe26f) on this exact case: every
        // trainable weight, a top layer copy included, came out bit for bit the same after the change.
        List<LabeledText> data = new java.util.ArrayList<>();
        String[] positive = {"great film loved it", "wonderful and moving", "a joy to watch", "brilliant acting"};
        String[] negative = {"boring and slow", "terrible plot", "i hated it", "a waste of time"};
        for (int i = 0; i < 4; i++) {
            data.add(new LabeledText(positive[i], "positive"));
            data.add(new LabeledText(negative[i], "negative"));
        }
        ClassifierConfig config = NO_DROPOUT.withTrainableTopLayers(1).withMaxSequenceLength(16).withSeed(7);
        try (TextClassifier c = TextClassifier.create(TestModels.miniLm(), config);
                TrainingSession s = TrainingSession.start(c, TrainingOptions.defaults())) {
            for (int i = 0; i < 3; i++) {
                s.trainStep(data, 1e-3f);
            }
            assertArrayEquals(new float[] {-3.669197E-4f, 3.6691985E-4f}, c.snapshot().get("classifier.bias"), 1e-10f);
        }
    }

    @Test
    void aStateOfAnotherMethodIsRefusedClearly() {
        List<LabeledText> data = SyntheticReviews.sample(4, new Random(3), false);
        OptimizerState sgdState;
        try (TextClassifier c = TextClassifier.create(TestModels.miniLm(), NO_DROPOUT);
                TrainingSession s = TrainingSession.start(c,
                        TrainingOptions.defaults().withUpdateRule(new SgdMomentum(0.9f)))) {
            s.trainStep(data, 1e-2f);
            sgdState = s.optimizerState();
        }
        try (TextClassifier c = TextClassifier.create(TestModels.miniLm(), NO_DROPOUT);
                TrainingSession s = TrainingSession.start(c, TrainingOptions.defaults())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> s.restoreOptimizerState(sgdState));
            assertTrue(e.getMessage().contains("sgd") && e.getMessage().contains("adamw"), e.getMessage());
            assertEquals(0, s.stepCount(), "nothing restored");
            Map<String, float[]> wrongSize = Map.of("classifier.bias", new float[7]);
            assertThrows(IllegalArgumentException.class, () -> s.restoreOptimizerState(new OptimizerState("adamw", 1,
                    Map.of("m", wrongSize, "v", wrongSize))));
            assertThrows(IllegalArgumentException.class, () -> new OptimizerState("adamw", 1,
                    Map.of("m", Map.of("a", new float[1]), "v", Map.of("b", new float[1]))));
        }
    }

    @Test
    void aFrozenParameterIsNotUpdatedAndItsStateStaysZeroUntilReleased() {
        List<LabeledText> data = SyntheticReviews.sample(8, new Random(4), false);
        try (TextClassifier c = TextClassifier.create(TestModels.miniLm(), NO_DROPOUT.withTrainableTopLayers(1));
                TrainingSession s = TrainingSession.start(c, TrainingOptions.defaults())) {
            List<String> top = c.layerCopyParameterNames(5);
            assertTrue(top.contains("encoder.layer.5.output.dense.weight"), top.toString());
            assertTrue(top.stream().noneMatch(name -> name.contains("lora_")), top.toString());
            assertEquals(List.of(), c.layerCopyParameterNames(4));
            s.setFrozen(top);
            Map<String, float[]> before = c.snapshot();
            s.trainStep(data, 1e-3f);
            s.trainStep(data, 1e-3f);
            Map<String, float[]> after = c.snapshot();
            OptimizerState state = s.optimizerState();
            for (String name : top) {
                assertArrayEquals(before.get(name), after.get(name), 0f, name + " held frozen");
                assertTrue(isZero(state.slots().get("m").get(name)), name + ": no moment while frozen");
            }
            assertTrue(!java.util.Arrays.equals(before.get("classifier.weight"), after.get("classifier.weight")));
            Map<String, float[]> fisher = s.meanSquaredGradients(data.subList(0, 2));
            assertTrue(!isZero(fisher.get(top.get(0))), "the Fisher covers parameters held frozen");
            assertEquals(java.util.Set.copyOf(top), s.frozen(), "still held after the Fisher");
            s.accumulate(data);
            assertThrows(IllegalStateException.class, () -> s.setFrozen(List.of()));
            s.step(1e-3f);
            s.setFrozen(List.of());
            s.trainStep(data, 1e-3f);
            Map<String, float[]> released = c.snapshot();
            assertTrue(!java.util.Arrays.equals(after.get(top.get(0)), released.get(top.get(0))), "released: trains");
            assertThrows(IllegalArgumentException.class, () -> s.setFrozen(List.of("nope")));
        }
    }

    private static boolean isZero(float[] values) {
        for (float v : values) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }

    private static double accuracy(TextClassifier c, List<LabeledText> examples) {
        List<Prediction> predictions = c.predict(examples.stream().map(LabeledText::text).toList());
        int right = 0;
        for (int i = 0; i < examples.size(); i++) {
            right += predictions.get(i).label().equals(examples.get(i).label()) ? 1 : 0;
        }
        return right / (double) examples.size();
    }
}
