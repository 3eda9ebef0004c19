package dev.streamtune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TemperatureScalingTest {

    @Test
    void nllAndSoftmaxMatchHandComputedValues() {
        float[][] logits = {{2, 0}, {0, 1, -1}};
        int[] labels = {0, 2};
        // row 1: log(1 + e^-2) = 0.126928; row 2: log(e^0 + e^1 + e^-1) + 1 = 2.407606
        assertEquals((0.126928 + 2.407606) / 2, TemperatureScaling.nll(logits, labels, 1), 1e-6);
        // at T = 2: log(1 + e^-1) = 0.313262; log(1 + e^0.5 + e^-0.5) + 0.5 = 1.680268
        assertEquals((0.313262 + 1.680268) / 2, TemperatureScaling.nll(logits, labels, 2), 1e-6);
        assertArrayEquals(new double[] {0.880797, 0.119203}, TemperatureScaling.softmax(new float[] {1, 0}, 0.5),
                1e-6);
    }

    @Test
    void fitsTheClosedFormTemperatureOfABinaryModel() {
        // Every example has logit margin d for class 0, and class 0 is right for a share q of them: the NLL is
        // least where sigmoid(d / T) = q, i.e. T = d / logit(q).
        assertEquals(4 / Math.log(4), binaryFit(4f, 0.8).temperature(), 1e-4, "over-confident: softened");
        assertEquals(0.5 / Math.log(9), binaryFit(0.5f, 0.9).temperature(), 1e-4, "under-confident: sharpened");
    }

    private static TemperatureScaling.Fit binaryFit(float margin, double share) {
        int n = 1000;
        float[][] logits = new float[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            logits[i] = new float[] {margin, 0};
            labels[i] = i < share * n ? 0 : 1;
        }
        return TemperatureScaling.fit(logits, labels);
    }

    @Test
    void recoversTheScaleOfOverAndUnderConfidentLogitsAndLowersTheirEce() {
        // Labels drawn from softmax(z) for random 5-class logits z; the model reports z * s. The fitted temperature
        // undoes s, and the calibration error falls.
        Random random = new Random(7);
        int n = 20_000;
        float[][] truth = new float[n][5];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 5; c++) {
                truth[i][c] = (float) (random.nextGaussian() * 2);
            }
            double[] p = TemperatureScaling.softmax(truth[i], 1);
            double u = random.nextDouble();
            int label = 0;
            for (double cumulative = p[0]; cumulative < u && label < 4; cumulative += p[++label]) {
                // walk the cumulative distribution
            }
            labels[i] = label;
        }
        for (double scale : new double[] {3, 1.0 / 3}) {
            float[][] reported = new float[n][5];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < 5; c++) {
                    reported[i][c] = (float) (truth[i][c] * scale);
                }
            }
            TemperatureScaling.Fit fit = TemperatureScaling.fit(reported, labels);
            assertEquals(scale, fit.temperature(), 0.05 * scale, "scale " + scale);
            assertTrue(fit.nllAfter() < fit.nllBefore(), fit.toString());
            double before = ExpectedCalibrationError.ofLogits(reported, labels, 1);
            double after = ExpectedCalibrationError.ofLogits(reported, labels, fit.temperature());
            assertTrue(before > 0.1 && after < 0.02, "ECE " + before + " -> " + after + " at scale " + scale);
        }
    }

    @Test
    void aCalibratedModelKeepsTemperatureOne() {
        // Four examples whose NLL is least exactly at T = 1 (margin log 3, right 3 times in 4).
        float margin = (float) Math.log(3);
        float[][] logits = {{margin, 0}, {margin, 0}, {margin, 0}, {margin, 0}};
        TemperatureScaling.Fit fit = TemperatureScaling.fit(logits, new int[] {0, 0, 0, 1});
        assertEquals(1, fit.temperature(), 1e-4);
        assertEquals(4, fit.examples());
    }

    @Test
    void refusesWhatCannotBeFittedOrApplied() {
        assertThrows(IllegalArgumentException.class, () -> TemperatureScaling.fit(new float[0][], new int[0]));
        assertThrows(IllegalArgumentException.class, () -> TemperatureScaling.fit(new float[][] {{1, 0}}, new int[] {2}));
        assertThrows(IllegalArgumentException.class, () -> TemperatureScaling.fit(new float[][] {{1, 0}}, new int[2]));
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> TemperatureScaling.requireValid(bad), "" + bad);
        }
    }
}
