package dev.streamtune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.streamtune.model.demo.SyntheticReviews;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DistillationLossTest {

    private static final float LN3 = (float) Math.log(3);
    private static final List<String> OLD = List.of("negative", "positive");

    /** Teacher undecided (0, 0): q = (1/2, 1/2). Student logits (ln 3, 0) / T give p = (3/4, 1/4) at T = 1. */
    private static TeacherLogits undecided() {
        return TeacherLogits.fixed(OLD, Map.of("a", new float[] {0f, 0f}, "b", new float[] {2f, -1f}));
    }

    @Test
    void referenceMatchesTheHandComputedKl() {
        // KL(q || p) = 1/2 ln(1/2 / 3/4) + 1/2 ln(1/2 / 1/4) = 1/2 ln(4/3)
        double kl = 0.5 * Math.log(4.0 / 3.0);
        assertEquals(kl, DistillationLoss.reference(new float[][] {{0f, 0f}}, new float[][] {{LN3, 0f}},
                new double[] {1}, 1f, 1f), 1e-7); // ln 3 as a float
        // T = 2 with logits doubled: the same distributions, times T^2 = 4; strength 0.5 halves it
        assertEquals(2 * kl, DistillationLoss.reference(new float[][] {{0f, 0f}}, new float[][] {{2 * LN3, 0f}},
                new double[] {1}, 2f, 0.5f), 1e-7);
        // columns past the teacher's (new labels) take no part
        assertEquals(kl, DistillationLoss.reference(new float[][] {{0f, 0f}}, new float[][] {{LN3, 0f, 9f}},
                new double[] {1}, 1f, 1f), 1e-7);
        assertEquals(0.0, DistillationLoss.reference(new float[][] {{2f, -1f}}, new float[][] {{5f, 2f}},
                new double[] {1}, 1f, 1f), 1e-12, "shifted logits are the same distribution");
    }

    @Test
    void theTermHasTheHandComputedValueAndGradient() {
        DistillationLoss loss = new DistillationLoss(undecided(), 2f, 1f);
        try (NDManager m = NDManager.newBaseManager(ComputeDevice.current(), "PyTorch");
                Torch.Scope torch = Torch.enter(true)) {
            NDArray student = m.create(new float[] {2 * LN3, 0f, 7f}, new Shape(1, 3));
            student.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray term = loss.compute(student, List.of(new LabeledText("a", "positive")));
                assertEquals(4 * 0.5 * Math.log(4.0 / 3.0), term.getFloat(), 1e-6);
                collector.backward(term);
            }
            // d/ds_j = strength * T * (p_j - q_j): 2 * (3/4 - 1/2) = 1/2, then -1/2; nothing on the new label
            assertArrayEquals(new float[] {0.5f, -0.5f, 0f}, student.getGradient().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void examplesCountByTheirWeightAsInTheCrossEntropy() {
        DistillationLoss loss = new DistillationLoss(undecided(), 1.5f, 3f);
        float[][] student = {{LN3, 0f, 1f}, {-1f, 2f, 0f}};
        List<LabeledText> batch = List.of(new LabeledText("a", "negative", 3.0), new LabeledText("b", "mixed"));
        double expected = DistillationLoss.reference(new float[][] {{0f, 0f}, {2f, -1f}}, student,
                new double[] {0.75, 0.25}, 1.5f, 3f);
        try (NDManager m = NDManager.newBaseManager(ComputeDevice.current(), "PyTorch");
                Torch.Scope torch = Torch.enter(false)) {
            NDArray logits = m.create(new float[] {LN3, 0f, 1f, -1f, 2f, 0f}, new Shape(2, 3));
            assertEquals(expected, loss.compute(logits, batch).getFloat(), 1e-5);
            assertTrue(expected > 0.1, "a real difference: " + expected);
        }
    }

    @Test
    void refusesWhatCannotBeDistilled() {
        assertThrows(IllegalArgumentException.class, () -> new DistillationLoss(undecided(), 0f, 1f));
        assertThrows(IllegalArgumentException.class, () -> new DistillationLoss(undecided(), 2f, -1f));
        DistillationLoss loss = new DistillationLoss(undecided(), 2f, 1f);
        assertThrows(UnsupportedOperationException.class, () -> loss.compute(Map.of()));
        try (NDManager m = NDManager.newBaseManager(ComputeDevice.current(), "PyTorch")) {
            NDArray oneColumn = m.create(new float[] {1f}, new Shape(1, 1));
            assertThrows(IllegalArgumentException.class,
                    () -> loss.compute(oneColumn, List.of(new LabeledText("a", "negative"))));
            NDArray unknownText = m.create(new float[] {1f, 2f}, new Shape(1, 2));
            assertThrows(IllegalArgumentException.class,
                    () -> loss.compute(unknownText, List.of(new LabeledText("never seen", "negative"))));
        }
    }

    @Test
    void distillationHoldsTheOldLabelsWhileTheStudentLearnsConflictingExamples() {
        ClassifierConfig config = ClassifierConfig.of(SyntheticReviews.LABELS).withDropout(0f, 0f, 0f).withSeed(11);
        List<LabeledText> train = SyntheticReviews.sample(16, new Random(21), false);
        List<String> heldOut = SyntheticReviews.sample(24, new Random(22), true).stream().map(LabeledText::text).toList();
        // A new round whose examples contradict the teacher (labels flipped) plus a new label.
        List<LabeledText> conflicting = new ArrayList<>();
        for (LabeledText e : SyntheticReviews.sample(16, new Random(23), false)) {
            conflicting.add(new LabeledText(e.text(), e.label().equals("negative") ? "positive" : "negative"));
        }
        conflicting.add(new LabeledText("neither good nor bad, it is a box", "neutral"));
        try (TextClassifier teacher = TextClassifier.create(TestModels.miniLm(), config)) {
            try (TrainingSession s = TrainingSession.start(teacher, TrainingOptions.defaults())) {
                for (int i = 0; i < 8; i++) {
                    s.trainStep(train, 2e-3f);
                }
            }
            TeacherLogits cache = new TeacherLogits(teacher);
            float[][] reference = cache.logits(heldOut);
            double plain = drift(teacher, cache, conflicting, heldOut, reference, 0f);
            double distilled = drift(teacher, cache, conflicting, heldOut, reference, 2f);
            org.slf4j.LoggerFactory.getLogger(DistillationLossTest.class).info(
                    "held-out KL(teacher || student) after 12 conflicting steps: {} plain, {} distilled", plain, distilled);
            assertTrue(plain > 0.05, "the conflicting round moves an undistilled student: " + plain);
            assertTrue(distilled < plain / 2, "distillation holds the old labels: " + distilled + " vs " + plain);
            assertEquals(heldOut.size() + conflicting.size(), cache.computedTexts(), "each text once over 12 steps");
        }
    }

    /** Mean KL over held-out texts between the teacher and a student trained 12 steps on {@code round}. */
    private static double drift(TextClassifier teacher, TeacherLogits cache, List<LabeledText> round,
            List<String> heldOut, float[][] reference, float strength) {
        List<String> grown = List.of("negative", "positive", "neutral");
        try (TextClassifier student = teacher.adapted(teacher.config().withLabels(grown))) {
            DistillationLoss distill = new DistillationLoss(cache, 2f, strength);
            try (TrainingSession s = TrainingSession.start(student, TrainingOptions.defaults())) {
                for (int i = 0; i < 12; i++) {
                    s.accumulate(round, strength > 0 ? List.of(distill) : List.of());
                    s.step(2e-3f);
                }
            }
            float[][] after = new TeacherLogits(student).logits(heldOut);
            double[] shares = new double[heldOut.size()];
            java.util.Arrays.fill(shares, 1.0 / heldOut.size());
            return DistillationLoss.reference(reference, after, shares, 1f, 1f);
        }
    }
}
