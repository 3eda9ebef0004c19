package dev.streamtune.evaluator.drift;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Distances between two count histograms over the same categories (the same index in both arrays, or the same key
 * in both maps; a category missing on one side counts as zero). Zero buckets are smoothed with {@link #EPSILON}
 * where a logarithm needs it.
 */
public final class Divergence {

    /** Probability floor for empty buckets in PSI; the usual choice in credit-risk practice. */
    static final double EPSILON = 1e-4;
    private static final double LN2 = Math.log(2);

    private Divergence() {
    }

    /**
     * Population stability index, sum of (a - e) * ln(a / e). Rule of thumb: below 0.1 stable, 0.1 to 0.25
     * moderate shift, above 0.25 major shift.
     */
    public static double populationStabilityIndex(double[] expected, double[] actual) {
        double expectedTotal = total(expected);
        double actualTotal = total(actual);
        if (expectedTotal == 0 || actualTotal == 0) {
            return 0;
        }
        double psi = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = Math.max(EPSILON, expected[i] / expectedTotal);
            double a = Math.max(EPSILON, actual[i] / actualTotal);
            psi += (a - e) * Math.log(a / e);
        }
        return psi;
    }

    /** Jensen-Shannon distance (square root of the base-2 divergence): 0 for identical, 1 for disjoint. */
    public static double jensenShannonDistance(double[] p, double[] q) {
        double pTotal = total(p);
        double qTotal = total(q);
        if (pTotal == 0 || qTotal == 0) {
            return 0;
        }
        double divergence = 0;
        for (int i = 0; i < p.length; i++) {
            double pi = p[i] / pTotal;
            double qi = q[i] / qTotal;
            double mi = (pi + qi) / 2;
            divergence += halfKl(pi, mi) + halfKl(qi, mi);
        }
        return Math.sqrt(Math.max(0, divergence));
    }

    public static double populationStabilityIndex(Map<String, Long> expected, Map<String, Long> actual) {
        List<String> keys = union(expected, actual);
        return populationStabilityIndex(counts(keys, expected), counts(keys, actual));
    }

    public static double jensenShannonDistance(Map<String, Long> p, Map<String, Long> q) {
        List<String> keys = union(p, q);
        return jensenShannonDistance(counts(keys, p), counts(keys, q));
    }

    /**
     * The {@code top} categories whose share moved most, e.g. {@code 'pizza' 0.0% -> 4.1%, 'phone' 6.2% -> 0.3%}:
     * what a drift report shows as the evidence of a histogram distance.
     */
    public static String largestShifts(List<String> names, double[] reference, double[] current, int top) {
        double referenceTotal = Math.max(1, total(reference));
        double currentTotal = Math.max(1, total(current));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) ->
                -Math.abs(current[i] / currentTotal - reference[i] / referenceTotal)).thenComparing(names::get));
        List<String> parts = new ArrayList<>();
        for (int i : order.subList(0, Math.min(top, order.size()))) {
            parts.add(String.format(Locale.ROOT, "'%s' %.1f%% -> %.1f%%", names.get(i),
                    100 * reference[i] / referenceTotal, 100 * current[i] / currentTotal));
        }
        return String.join(", ", parts);
    }

    private static double halfKl(double x, double mean) {
        return x == 0 ? 0 : 0.5 * x * Math.log(x / mean) / LN2;
    }

    private static List<String> union(Map<String, Long> a, Map<String, Long> b) {
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return new ArrayList<>(keys);
    }

    private static double[] counts(List<String> keys, Map<String, Long> histogram) {
        double[] counts = new double[keys.size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = histogram.getOrDefault(keys.get(i), 0L);
        }
        return counts;
    }

    private static double total(double[] counts) {
        double sum = 0;
        for (double c : counts) {
            sum += c;
        }
        return sum;
    }
}
