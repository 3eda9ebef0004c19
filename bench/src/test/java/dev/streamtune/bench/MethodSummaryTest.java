package dev.streamtune.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Aggregation over seeds, from accuracy matrices to mean and standard deviation; no broker. */
class MethodSummaryTest {

    @Test
    void spreadIsTheMeanAndTheSampleStandardDeviation() {
        MethodSummary.Spread spread = MethodSummary.Spread.of(0.8, 0.9, 1.0);
        assertEquals(0.9, spread.mean(), 1e-12);
        // squares 0.01 + 0 + 0.01 over n - 1 = 2
        assertEquals(Math.sqrt(0.01), spread.std(), 1e-12);
        assertEquals("0.900 ± 0.100", spread.format("%.3f"));
        assertEquals("+0.900 ± 0.100", spread.format("%+.3f"), "the sign belongs to the mean only");
    }

    @Test
    void oneSeedHasAMeanButNoDeviation() {
        MethodSummary.Spread spread = MethodSummary.Spread.of(0.75);
        assertEquals(0.75, spread.mean());
        assertTrue(Double.isNaN(spread.std()));
        assertEquals("0.750", spread.format("%.3f"));
    }

    @Test
    void runMetricsTakeAccuracyBwtAndForgettingFromTheMatrixAndMeanTrainingTime() {
        RunMetrics run = RunMetrics.of("replay+ewc", 2, matrix(0.9, 0.6, 0.8, 0.3, 0.4, 0.7), 0.05,
                List.of(10.0, 20.0, 30.0));
        assertEquals((0.3 + 0.4 + 0.7) / 3, run.averageAccuracy(), 1e-12);
        assertEquals(((0.3 - 0.9) + (0.4 - 0.8)) / 2, run.backwardTransfer(), 1e-12);
        assertEquals(((0.9 - 0.3) + (0.8 - 0.4)) / 2, run.forgetting(), 1e-12);
        assertEquals(0.05, run.replayShare());
        assertEquals(20.0, run.trainSecondsPerWindow(), 1e-12);
        assertEquals(2, run.seed());
    }

    @Test
    void summariesGroupSeedsByMethodInOrderOfFirstAppearance() {
        // seed 1: no forgetting at all; seed 2: window 1 drops from 0.9 to 0.5
        RunMetrics naive1 = RunMetrics.of("naive", 1, matrix(0.9, 0.9, 0.8, 0.9, 0.8, 0.7), 0, List.of(1.0));
        RunMetrics naive2 = RunMetrics.of("naive", 2, matrix(0.9, 0.5, 0.8, 0.5, 0.8, 0.7), 0, List.of(3.0));
        RunMetrics joint1 = RunMetrics.of("joint", 1, matrix(1, 1, 1, 1, 1, 1), 1, List.of(5.0));

        List<MethodSummary> summaries = MethodSummary.byMethod(List.of(naive1, joint1, naive2));

        assertEquals(List.of("naive", "joint"), summaries.stream().map(MethodSummary::method).toList());
        MethodSummary naive = summaries.get(0);
        assertEquals(2, naive.seeds());
        assertEquals((0.8 + (0.5 + 0.8 + 0.7) / 3) / 2, naive.averageAccuracy().mean(), 1e-12);
        // BWT: seed 1 (0 + 0) / 2 = 0; seed 2 (-0.4 + 0) / 2 = -0.2; mean -0.1, sample std sqrt(2 * 0.01 / 1)
        assertEquals(-0.1, naive.backwardTransfer().mean(), 1e-12);
        assertEquals(Math.sqrt(0.02), naive.backwardTransfer().std(), 1e-12);
        assertEquals(0.1, naive.forgetting().mean(), 1e-12);
        assertEquals(2.0, naive.trainSecondsPerWindow().mean(), 1e-12);
        assertEquals(0.0, naive.replayShare().mean());
        assertEquals(1, summaries.get(1).seeds());
        assertTrue(Double.isNaN(summaries.get(1).averageAccuracy().std()));
    }

    /** A 3-window matrix from its lower triangle, row by row: a00, a10, a11, a20, a21, a22. */
    private static AccuracyMatrix matrix(double... lower) {
        AccuracyMatrix m = new AccuracyMatrix(3);
        int n = 0;
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i <= k; i++) {
                m.set(k, i, lower[n++]);
            }
        }
        return m;
    }
}
