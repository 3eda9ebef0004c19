package dev.streamtune.evaluator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import dev.streamtune.schema.ClassificationMetrics;
import org.junit.jupiter.api.Test;

class ClassificationScorerTest {

    private static final double EPS = 1e-9;

    /** Correct answers at confidence 0.95, wrong ones at 0.55; values below are worked out by hand. */
    static List<ScoredExample> threeClassExample() {
        return List.of(
                example("a", "a", 0.95), example("a", "a", 0.95), example("a", "b", 0.55),
                example("b", "b", 0.95), example("b", "c", 0.55), example("c", "c", 0.95));
    }

    @Test
    void perClassAndMacroMetricsMatchHandComputation() {
        ClassificationMetrics metrics = ClassificationScorer.score(threeClassExample());

        assertEquals(6, metrics.getExamples());
        assertEquals(4.0 / 6, metrics.getAccuracy(), EPS);
        // a: P=2/2 R=2/3 F1=0.8; b: P=1/2 R=1/2 F1=0.5; c: P=1/2 R=1/1 F1=2/3
        assertEquals(1.0, metrics.getPerClass().get("a").getPrecision(), EPS);
        assertEquals(2.0 / 3, metrics.getPerClass().get("a").getRecall(), EPS);
        assertEquals(0.8, metrics.getPerClass().get("a").getF1(), EPS);
        assertEquals(0.5, metrics.getPerClass().get("b").getF1(), EPS);
        assertEquals(2.0 / 3, metrics.getPerClass().get("c").getF1(), EPS);
        assertEquals(3L, metrics.getPerClass().get("a").getSupport());
        assertEquals((0.8 + 0.5 + 2.0 / 3) / 3, metrics.getMacroF1(), EPS);
    }

    @Test
    void expectedCalibrationErrorWeighsEachBinsGap() {
        // bin (0.9,1]: 4 examples, accuracy 1, confidence 0.95 -> gap 0.05; bin (0.5,0.6]: 2, accuracy 0, gap 0.55
        double expected = 4.0 / 6 * 0.05 + 2.0 / 6 * 0.55;
        assertEquals(expected, ClassificationScorer.score(threeClassExample()).getExpectedCalibrationError(), EPS);
    }

    @Test
    void perfectlyCalibratedPredictionsHaveZeroEce() {
        // Confidence 0.75 and right three times out of four.
        List<ScoredExample> examples = List.of(example("x", "x", 0.75), example("x", "x", 0.75),
                example("x", "x", 0.75), example("y", "x", 0.75));
        assertEquals(0.0, ClassificationScorer.expectedCalibrationError(examples), EPS);
    }

    @Test
    void emptyInputGivesZeroesNotNaN() {
        ClassificationMetrics metrics = ClassificationScorer.score(List.of());
        assertEquals(0, metrics.getExamples());
        assertEquals(0.0, metrics.getAccuracy());
    }

    @Test
    void confidenceOutsideUnitIntervalIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> example("a", "a", 1.2));
    }

    static ScoredExample example(String actual, String predicted, double confidence) {
        return new ScoredExample(actual, predicted, confidence, Map.of());
    }
}
