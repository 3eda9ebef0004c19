package dev.streamtune.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ExpectedCalibrationErrorTest {

    @Test
    void weighsEachBinsGapByItsShare() {
        // bin (0.9, 1]: confidences 0.95, 0.95, both right -> gap 0.05, weight 2/4;
        // bin (0.5, 0.6]: confidences 0.6, 0.6, one right -> gap 0.1, weight 2/4
        double ece = ExpectedCalibrationError.of(new double[] {0.95, 0.95, 0.6, 0.6},
                new boolean[] {true, true, true, false});
        assertEquals(0.5 * 0.05 + 0.5 * 0.1, ece, 1e-12);
    }

    @Test
    void boundariesBelongToTheLowerBinAndZeroToTheFirst() {
        // 0.1 is in (0, 0.1] with 0: mean confidence 0.05, accuracy 0 -> gap 0.05
        assertEquals(0.05, ExpectedCalibrationError.of(new double[] {0.1, 0}, new boolean[] {false, false}), 1e-12);
        assertEquals(0, ExpectedCalibrationError.of(new double[0], new boolean[0]));
    }

    @Test
    void fromLogitsUsesTheTopProbabilityAtTheTemperature() {
        // softmax([log 3, 0]) = [0.75, 0.25]: confident 0.75, right once in two -> ECE 0.25
        float[][] logits = {{(float) Math.log(3), 0}, {(float) Math.log(3), 0}};
        assertEquals(0.25, ExpectedCalibrationError.ofLogits(logits, new int[] {0, 1}, 1), 1e-6);
        // at T = infinity-ish everything is 0.5: a gap of 0 (accuracy 0.5 at confidence 0.5)
        assertEquals(0, ExpectedCalibrationError.ofLogits(logits, new int[] {0, 1}, 1e6), 1e-6);
    }
}
