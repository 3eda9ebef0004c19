package dev.streamtune.evaluator.drift;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Population stability index of text lengths in words ({@code input.length.psi}), over fixed buckets that double:
 * up to 4, 8, 16, ... 512 words and more.
 */
public final class LengthPsi implements DriftStatistic {

    public static final String NAME = "input.length.psi";
    private static final int[] UPPER_BOUNDS = {4, 8, 16, 32, 64, 128, 256, 512};
    private static final Pattern BLANKS = Pattern.compile("\\s+");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Prepared> prepare(PooledSample pooled) {
        int[][] bucketOf = new int[pooled.size()][];
        for (int i = 0; i < bucketOf.length; i++) {
            String text = pooled.items().get(i).text().strip();
            bucketOf[i] = new int[] {bucketOf(text.isEmpty() ? 0 : BLANKS.split(text).length)};
        }
        return Optional.of(new BucketCounts(bucketOf, UPPER_BOUNDS.length + 1, Divergence::populationStabilityIndex,
                (reference, current) -> String.format(Locale.ROOT, "mean words %.1f -> %.1f",
                        mean(reference), mean(current))));
    }

    /** Approximate mean length from bucket midpoints: enough to say which way lengths moved. */
    private static double mean(double[] counts) {
        double sum = 0;
        double n = 0;
        for (int b = 0; b < counts.length; b++) {
            double low = b == 0 ? 0 : UPPER_BOUNDS[b - 1];
            double high = b < UPPER_BOUNDS.length ? UPPER_BOUNDS[b] : 2 * UPPER_BOUNDS[UPPER_BOUNDS.length - 1];
            sum += counts[b] * (low + high) / 2;
            n += counts[b];
        }
        return n == 0 ? 0 : sum / n;
    }

    static int bucketOf(int words) {
        for (int b = 0; b < UPPER_BOUNDS.length; b++) {
            if (words <= UPPER_BOUNDS[b]) {
                return b;
            }
        }
        return UPPER_BOUNDS.length;
    }
}
