package dev.streamtune.evaluator.drift;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs a family of drift tests on one pooled sample by permutation, and decides which fired so that, when the
 * current group is drawn from the reference distribution, the chance that ANY of them fires is at most
 * {@code alpha}. Every test sees the same permutations of the grouping; the family is corrected with Westfall and
 * Young's single-step min-p: a test fires when its p-value is smaller than the {@code alpha} quantile of the
 * smallest p-value a permutation gets over all the tests. Unlike Bonferroni this stays exact however many
 * correlated tests (slices) the family has, and it needs only about 1/alpha permutations, not tests/alpha.
 */
public final class PermutationFamily {

    /**
     * One test's result.
     *
     * @param threshold the statistic this grouping had to exceed to fire (the permutation quantile at the family's
     *                  level)
     * @param adjustedP the family-adjusted p-value
     */
    public record Outcome(String name, double score, double threshold, double adjustedP, boolean fired,
                          String evidence) {
    }

    /** A test with its name, ready to evaluate. */
    public record NamedTest(String name, DriftStatistic.Prepared prepared) {
    }

    private PermutationFamily() {
    }

    /**
     * @param observed     the real grouping
     * @param permutations how many random regroupings (at least 1/alpha, so the level can be met)
     * @param seed         the permutations' seed: the same sample gives the same report
     */
    public static List<Outcome> run(List<NamedTest> tests, boolean[] observed, int permutations, double alpha,
                                    long seed) {
        int k = tests.size();
        if (k == 0) {
            return List.of();
        }
        if (permutations < Math.ceil(1 / alpha)) {
            throw new IllegalArgumentException("At least " + (int) Math.ceil(1 / alpha) + " permutations are needed"
                    + " to reach a false-alarm rate of " + alpha + "; got " + permutations);
        }
        double[] score = new double[k];
        for (int t = 0; t < k; t++) {
            score[t] = tests.get(t).prepared().value(observed);
        }
        double[][] permuted = new double[k][permutations];
        boolean[] grouping = observed.clone();
        SplittableRandom random = new SplittableRandom(seed);
        for (int b = 0; b < permutations; b++) {
            shuffle(grouping, random);
            for (int t = 0; t < k; t++) {
                permuted[t][b] = tests.get(t).prepared().value(grouping);
            }
        }
        double[][] sorted = new double[k][];
        for (int t = 0; t < k; t++) {
            sorted[t] = permuted[t].clone();
            Arrays.sort(sorted[t]);
        }
        // The smallest p-value each permutation gets over the family: its distribution calibrates every test.
        double[] minP = new double[permutations];
        Arrays.fill(minP, 1);
        for (int b = 0; b < permutations; b++) {
            for (int t = 0; t < k; t++) {
                minP[b] = Math.min(minP[b], pValue(sorted[t], permuted[t][b]));
            }
        }
        double[] sortedMinP = minP.clone();
        Arrays.sort(sortedMinP);
        // A test fires when #{minP <= its p} <= allowed, i.e. when its p is below cut.
        int allowed = (int) Math.floor(alpha * (permutations + 1)) - 1;
        double cut = allowed < 0 ? 0 : allowed >= permutations ? 1.0 + 1e-9 : sortedMinP[allowed];
        List<Outcome> outcomes = new ArrayList<>(k);
        for (int t = 0; t < k; t++) {
            double p = pValue(sorted[t], score[t]);
            int atOrBelow = upperBound(sortedMinP, p);
            double adjusted = (1.0 + atOrBelow) / (permutations + 1);
            boolean fired = adjusted <= alpha;
            outcomes.add(new Outcome(tests.get(t).name(), score[t], threshold(sorted[t], cut),
                    adjusted, fired, tests.get(t).prepared().evidence(observed)));
        }
        return outcomes;
    }

    /** (1 + #{permuted >= value}) / (B + 1): the permutation p-value, never 0. */
    static double pValue(double[] sortedPermuted, double value) {
        int below = lowerBound(sortedPermuted, value);
        return (1.0 + sortedPermuted.length - below) / (sortedPermuted.length + 1);
    }

    /**
     * The statistic a grouping must exceed for its p-value to be below {@code cut}: p-values are multiples of
     * 1/(B+1), so p < cut allows at most round(cut (B+1)) - 2 permuted values at or above the statistic.
     */
    private static double threshold(double[] sortedPermuted, double cut) {
        int b = sortedPermuted.length;
        int mayBeAtOrAbove = (int) Math.round(cut * (b + 1)) - 2;
        if (mayBeAtOrAbove < 0) {
            return sortedPermuted[b - 1]; // nothing can fire at this level; the largest permuted value
        }
        return sortedPermuted[Math.max(0, b - 1 - mayBeAtOrAbove)];
    }

    private static void shuffle(boolean[] grouping, SplittableRandom random) {
        for (int i = grouping.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            boolean swap = grouping[i];
            grouping[i] = grouping[j];
            grouping[j] = swap;
        }
    }

    /** First index whose value is >= {@code value}. */
    private static int lowerBound(double[] sorted, double value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Number of values <= {@code value}. */
    private static int upperBound(double[] sorted, double value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
