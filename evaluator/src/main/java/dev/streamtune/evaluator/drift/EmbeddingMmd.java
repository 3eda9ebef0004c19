package dev.streamtune.evaluator.drift;

import java.util.Arrays;
import java.util.Optional;

/**
 * Maximum mean discrepancy between the groups' sentence embeddings with a Gaussian kernel (squared, biased
 * estimate). The kernel width is the median squared distance between pooled embeddings (the usual heuristic); it
 * does not depend on the grouping, so the kernel matrix is computed once and each permutation only sums it.
 */
public final class EmbeddingMmd implements DriftStatistic {

    public static final String INPUT = "input.embedding.mmd";
    public static final String SERVED = "served.embedding.mmd";

    private final String name;

    public EmbeddingMmd(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<Prepared> prepare(PooledSample pooled) {
        float[][] x = pooled.embeddings();
        if (x == null || pooled.size() < 4) {
            return Optional.empty();
        }
        int n = x.length;
        float[] distances = new float[n * (n - 1) / 2];
        int at = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double d = 0;
                for (int k = 0; k < x[i].length; k++) {
                    double diff = x[i][k] - x[j][k];
                    d += diff * diff;
                }
                distances[at++] = (float) d;
            }
        }
        float[] sorted = distances.clone();
        Arrays.sort(sorted);
        double width = Math.max(1e-12, sorted[sorted.length / 2]);
        float[] kernel = new float[distances.length];
        for (int p = 0; p < kernel.length; p++) {
            kernel[p] = (float) Math.exp(-distances[p] / width);
        }
        return Optional.of(new Prepared() {
            @Override
            public double value(boolean[] current) {
                // sums[0]: reference pairs, sums[1]: mixed pairs, sums[2]: current pairs (i < j; the diagonal is 1)
                double[] sums = new double[3];
                int p = 0;
                for (int i = 0; i < n; i++) {
                    int gi = current[i] ? 1 : 0;
                    for (int j = i + 1; j < n; j++) {
                        sums[gi + (current[j] ? 1 : 0)] += kernel[p++];
                    }
                }
                int[] size = PooledSample.groupSizes(current, range(n));
                double r = size[0];
                double c = size[1];
                if (r == 0 || c == 0) {
                    return 0;
                }
                return (2 * sums[0] + r) / (r * r) + (2 * sums[2] + c) / (c * c) - 2 * sums[1] / (r * c);
            }

            @Override
            public String evidence(boolean[] current) {
                return EmbeddingShift.largestDimensions(x, current, 3);
            }
        });
    }

    private static int[] range(int n) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        return all;
    }
}
