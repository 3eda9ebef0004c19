package dev.streamtune.evaluator.drift;

/**
 * A statistic over each group's counts of the buckets its items fall into (a text's words, its label, its length
 * bucket): counting is the only part that depends on the grouping, so the buckets are found once and each
 * permutation only adds them up.
 */
final class BucketCounts implements DriftStatistic.Prepared {

    /** A distance between the reference's and the current group's counts. */
    interface Distance {
        double between(double[] reference, double[] current);
    }

    /** What the counts say, in a few words. */
    interface Evidence {
        String of(double[] reference, double[] current);
    }

    private final int[][] bucketsOf;
    private final int buckets;
    private final Distance distance;
    private final Evidence evidence;

    /** @param bucketsOf for each pooled item, the buckets it counts in (each once) */
    BucketCounts(int[][] bucketsOf, int buckets, Distance distance, Evidence evidence) {
        this.bucketsOf = bucketsOf;
        this.buckets = buckets;
        this.distance = distance;
        this.evidence = evidence;
    }

    @Override
    public double value(boolean[] current) {
        double[][] counts = counts(current);
        return distance.between(counts[0], counts[1]);
    }

    @Override
    public String evidence(boolean[] current) {
        double[][] counts = counts(current);
        return evidence.of(counts[0], counts[1]);
    }

    private double[][] counts(boolean[] current) {
        double[][] counts = new double[2][buckets];
        for (int i = 0; i < bucketsOf.length; i++) {
            double[] side = counts[current[i] ? 1 : 0];
            for (int b : bucketsOf[i]) {
                side[b]++;
            }
        }
        return counts;
    }
}
