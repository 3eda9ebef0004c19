package dev.streamtune.evaluator.drift;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs a family of drift tests on one pooled sample by permutation, and decides which fired so that, when the
 * current group is drawn from the reference distribution, the chance that ANY of them fires is at most
 * {@code alpha}. Every test sees the same permutations of the grouping; the family is corrected with Westfall and
 * Young's single-step maxT: each statistic is standardised by its permutation mean and standard deviation, and a
 * test fires when at most an {@code alpha} share of the permutations reach its standardised value with their
 * largest standardised statistic over all the tests. Unlike Bonferroni this accounts for correlated tests (slices
 * of one sample), and it needs only about 1/alpha permutations, not tests/alpha.
 */
public final class PermutationFamily {

    /**
     * One test's result.
     *
     * @param threshold the statistic this grouping had to exceed to fire (the family's critical standardised value
     *                  turned back into this test's scale)
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
        // Each test's statistic standardised by its mean and spread over the B + 1 groupings (the real one among
        // them, which keeps it exchangeable with the permutations), so tests of different scales can be compared.
        double[] mean = new double[k];
        double[] sd = new double[k];
        for (int t = 0; t < k; t++) {
            double sum = score[t];
            double squares = score[t] * score[t];
            for (int b = 0; b < permutations; b++) {
                sum += permuted[t][b];
                squares += permuted[t][b] * permuted[t][b];
            }
            mean[t] = sum / (permutations + 1);
            sd[t] = Math.sqrt(Math.max(0, squares / (permutations + 1) - mean[t] * mean[t]));
        }
        // The largest standardised statistic each permutation reaches over the family: its distribution calibrates
        // every test (single-step maxT). Continuous, unlike permutation p-values: min-p over a dozen tests with 999
        // permutations ties at 1/1000 for about a dozen permutations and could never reach a 1% level.
        double[] maxZ = new double[permutations];
        Arrays.fill(maxZ, Double.NEGATIVE_INFINITY);
        for (int b = 0; b < permutations; b++) {
            for (int t = 0; t < k; t++) {
                maxZ[b] = Math.max(maxZ[b], standardised(permuted[t][b], mean[t], sd[t]));
            }
        }
        double[] sortedMaxZ = maxZ.clone();
        Arrays.sort(sortedMaxZ);
        // A test fires when at most `allowed` permutations reach its standardised statistic.
        int allowed = (int) Math.floor(alpha * (permutations + 1)) - 1;
        double critical = allowed < 0 ? Double.POSITIVE_INFINITY : sortedMaxZ[permutations - 1 - allowed];
        List<Outcome> outcomes = new ArrayList<>(k);
        for (int t = 0; t < k; t++) {
            double z = standardised(score[t], mean[t], sd[t]);
            int reaching = permutations - lowerBound(sortedMaxZ, z);
            double adjusted = (1.0 + reaching) / (permutations + 1);
            // Nothing can fire when the level is finer than the permutations (run refuses that) or the statistic
            // never varies: then the largest value seen stands for "out of reach".
            double threshold = Double.isInfinite(critical) || sd[t] == 0
                    ? Math.max(score[t], Arrays.stream(permuted[t]).max().orElse(score[t]))
                    : mean[t] + critical * sd[t];
            outcomes.add(new Outcome(tests.get(t).name(), score[t], threshold, adjusted, adjusted <= alpha,
                    tests.get(t).prepared().evidence(observed)));
        }
        return outcomes;
    }

    /** A statistic that never varies (one value under every grouping) is never extreme. */
    private static double standardised(double value, double mean, double sd) {
        return sd == 0 ? 0 : (value - mean) / sd;
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

}
