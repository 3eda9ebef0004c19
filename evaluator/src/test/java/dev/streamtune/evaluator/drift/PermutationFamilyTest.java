package dev.streamtune.evaluator.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class PermutationFamilyTest {

    /** Mean difference of one coordinate of Gaussian points: a family of k correlated-free tests. */
    private static List<PermutationFamily.NamedTest> meanShiftTests(double[][] x) {
        List<PermutationFamily.NamedTest> tests = new ArrayList<>();
        for (int d = 0; d < x[0].length; d++) {
            int dim = d;
            tests.add(new PermutationFamily.NamedTest("dim" + d, current -> {
                double[] sum = new double[2];
                int[] n = new int[2];
                for (int i = 0; i < x.length; i++) {
                    sum[current[i] ? 1 : 0] += x[i][dim];
                    n[current[i] ? 1 : 0]++;
                }
                return Math.abs(sum[1] / n[1] - sum[0] / n[0]);
            }));
        }
        return tests;
    }

    private static double[][] gaussian(int n, int dims, double shiftOfSecondHalf, SplittableRandom random) {
        double[][] x = new double[n][dims];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < dims; d++) {
                double u = random.nextDouble();
                double v = random.nextDouble();
                x[i][d] = Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v)
                        + (i >= n / 2 && d == 0 ? shiftOfSecondHalf : 0);
            }
        }
        return x;
    }

    private static boolean[] halves(int n) {
        boolean[] current = new boolean[n];
        for (int i = n / 2; i < n; i++) {
            current[i] = true;
        }
        return current;
    }

    @Test
    void theFamilyFiresOnNullDataAtMostAtItsRateHoweverManyTestsItHas() {
        // 10 tests at alpha 0.05: uncorrected, about 40% of null samples would fire one; corrected, 5% at most.
        SplittableRandom random = new SplittableRandom(11);
        int trials = 400;
        int alarms = 0;
        int uncorrected = 0; // any raw p-value <= alpha: what ten separate tests would do
        for (int t = 0; t < trials; t++) {
            double[][] x = gaussian(40, 10, 0, random);
            List<PermutationFamily.Outcome> outcomes = PermutationFamily.run(meanShiftTests(x), halves(40), 199,
                    0.05, t);
            alarms += outcomes.stream().anyMatch(PermutationFamily.Outcome::fired) ? 1 : 0;
            boolean[] grouping = halves(40);
            long seed = t;
            uncorrected += meanShiftTests(x).stream().anyMatch(test -> rawP(test, grouping, seed) <= 0.05) ? 1 : 0;
        }
        double rate = alarms / (double) trials;
        System.out.printf("ten tests at 5%% on %d null samples: %d fired corrected, %d uncorrected%n", trials, alarms,
                uncorrected);
        // binomial(400, 0.05): mean 20, sd 4.4; 32 alarms would be 2.7 sd above the target
        assertTrue(alarms <= 32, "false-alarm rate " + rate + " over " + trials + " null samples");
        assertTrue(uncorrected > 2 * alarms, "uncorrected: " + uncorrected + " alarms, corrected: " + alarms);
    }

    /** The single test's own permutation p-value, as if it were alone. */
    private static double rawP(PermutationFamily.NamedTest test, boolean[] observed, long seed) {
        return PermutationFamily.run(List.of(test), observed, 199, 0.05, seed).get(0).adjustedP();
    }

    @Test
    void aRealShiftFiresOnlyTheShiftedTestWithItsEvidenceAndThreshold() {
        double[][] x = gaussian(80, 10, 1.5, new SplittableRandom(5));
        List<PermutationFamily.Outcome> outcomes = PermutationFamily.run(meanShiftTests(x), halves(80), 199, 0.05,
                1);
        PermutationFamily.Outcome shifted = outcomes.get(0);
        assertTrue(shifted.fired(), shifted.toString());
        assertTrue(shifted.score() > shifted.threshold(), shifted.toString());
        assertTrue(shifted.adjustedP() <= 0.02, "far beyond every permutation: " + shifted);
        assertFalse(outcomes.subList(1, 10).stream().anyMatch(PermutationFamily.Outcome::fired), outcomes.toString());
    }

    @Test
    void theSameSeedGivesTheSameOutcomes() {
        double[][] x = gaussian(30, 3, 0.5, new SplittableRandom(9));
        assertEquals(PermutationFamily.run(meanShiftTests(x), halves(30), 199, 0.05, 42),
                PermutationFamily.run(meanShiftTests(x), halves(30), 199, 0.05, 42));
    }

    @Test
    void tooFewPermutationsToReachTheRateAreRefused() {
        double[][] x = gaussian(10, 1, 0, new SplittableRandom(1));
        assertThrows(IllegalArgumentException.class,
                () -> PermutationFamily.run(meanShiftTests(x), halves(10), 50, 0.01, 1));
    }
}
