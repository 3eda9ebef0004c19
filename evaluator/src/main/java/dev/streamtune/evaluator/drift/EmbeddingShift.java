package dev.streamtune.evaluator.drift;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Which embedding dimensions moved most between the groups: the evidence both embedding tests report. */
final class EmbeddingShift {

    private EmbeddingShift() {
    }

    /**
     * The {@code top} dimensions by standardised mean difference (current minus reference mean, over the pooled
     * standard deviation), e.g. {@code dim 17 +1.21 sd, dim 203 -0.87 sd}.
     */
    static String largestDimensions(float[][] vectors, boolean[] current, int top) {
        int dims = vectors[0].length;
        double[][] sum = new double[2][dims];
        double[] all = new double[dims];
        double[] squares = new double[dims];
        int[] n = new int[2];
        for (int i = 0; i < vectors.length; i++) {
            int side = current[i] ? 1 : 0;
            n[side]++;
            for (int d = 0; d < dims; d++) {
                double v = vectors[i][d];
                sum[side][d] += v;
                all[d] += v;
                squares[d] += v * v;
            }
        }
        if (n[0] == 0 || n[1] == 0) {
            return "";
        }
        double[] effect = new double[dims];
        for (int d = 0; d < dims; d++) {
            double mean = all[d] / vectors.length;
            double sd = Math.sqrt(Math.max(1e-12, squares[d] / vectors.length - mean * mean));
            effect[d] = (sum[1][d] / n[1] - sum[0][d] / n[0]) / sd;
        }
        List<Integer> order = new ArrayList<>();
        for (int d = 0; d < dims; d++) {
            order.add(d);
        }
        order.sort(Comparator.comparingDouble(d -> -Math.abs(effect[d])));
        List<String> parts = new ArrayList<>();
        for (int d : order.subList(0, Math.min(top, dims))) {
            parts.add(String.format(Locale.ROOT, "dim %d %+.2f sd", d, effect[d]));
        }
        return String.join(", ", parts);
    }
}
