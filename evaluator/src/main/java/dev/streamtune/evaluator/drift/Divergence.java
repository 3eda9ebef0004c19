package dev.streamtune.evaluator.drift;

import java.util.Map;
import java.util.TreeSet;

/**
 * Distances between two count histograms over the same categories. Categories missing on one side count as zero;
 * zero buckets are smoothed with {@link #EPSILON} where a logarithm needs it.
 */
public final class Divergence {

    /** Probability floor for empty buckets in PSI; the usual choice in credit-risk practice. */
    static final double EPSILON = 1e-4;

    private Divergence() {
    }

    /**
     * Population stability index, sum of (a - e) * ln(a / e). Rule of thumb: below 0.1 stable, 0.1 to 0.25
     * moderate shift, above 0.25 major shift.
     */
    public static double populationStabilityIndex(Map<String, Long> expected, Map<String, Long> actual) {
        TreeSet<String> keys = union(expected, actual);
        double expectedTotal = total(expected);
        double actualTotal = total(actual);
        if (expectedTotal == 0 || actualTotal == 0) {
            return 0;
        }
        double psi = 0;
        for (String key : keys) {
            double e = Math.max(EPSILON, expected.getOrDefault(key, 0L) / expectedTotal);
            double a = Math.max(EPSILON, actual.getOrDefault(key, 0L) / actualTotal);
            psi += (a - e) * Math.log(a / e);
        }
        return psi;
    }

    /** Jensen-Shannon distance (square root of the base-2 divergence): 0 for identical, 1 for disjoint. */
    public static double jensenShannonDistance(Map<String, Long> p, Map<String, Long> q) {
        double pTotal = total(p);
        double qTotal = total(q);
        if (pTotal == 0 || qTotal == 0) {
            return 0;
        }
        double divergence = 0;
        for (String key : union(p, q)) {
            double pi = p.getOrDefault(key, 0L) / pTotal;
            double qi = q.getOrDefault(key, 0L) / qTotal;
            double mi = (pi + qi) / 2;
            divergence += halfKl(pi, mi) + halfKl(qi, mi);
        }
        return Math.sqrt(Math.max(0, divergence));
    }

    private static double halfKl(double x, double mean) {
        return x == 0 ? 0 : 0.5 * x * Math.log(x / mean) / Math.log(2);
    }

    private static TreeSet<String> union(Map<String, Long> a, Map<String, Long> b) {
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

    private static double total(Map<String, Long> histogram) {
        return histogram.values().stream().mapToLong(Long::longValue).sum();
    }
}
