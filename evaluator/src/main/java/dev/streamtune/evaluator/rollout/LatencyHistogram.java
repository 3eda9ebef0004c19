package dev.streamtune.evaluator.rollout;

/**
 * Latencies in log-spaced buckets (four per doubling, from 1 µs to about 17 minutes): a p99 within 19% of the true
 * value from a fixed 128 counters, however many answers a step sees. Mergeable, so per-minute histograms add up to
 * a step's.
 */
public final class LatencyHistogram {

    private static final int BUCKETS = 128;
    private static final int PER_DOUBLING = 4;
    private final long[] counts = new long[BUCKETS];
    private long total;

    public void add(long micros) {
        int bucket = (int) Math.floor(Math.log(Math.max(1, micros)) / Math.log(2) * PER_DOUBLING);
        counts[Math.min(BUCKETS - 1, Math.max(0, bucket))]++;
        total++;
    }

    public void addAll(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
    }

    public long count() {
        return total;
    }

    /** The upper edge of the bucket holding the {@code q} quantile, in microseconds; 0 when empty. */
    public long quantileMicros(double q) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.round(Math.pow(2, (i + 1) / (double) PER_DOUBLING));
            }
        }
        return Math.round(Math.pow(2, BUCKETS / (double) PER_DOUBLING));
    }
}
