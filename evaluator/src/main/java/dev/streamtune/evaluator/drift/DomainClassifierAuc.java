package dev.streamtune.evaluator.drift;

import java.util.Arrays;
import java.util.Optional;

/**
 * How well a classifier tells the current group from the reference by their sentence embeddings
 * ({@code input.embedding.auc}): the ROC AUC of a linear discriminant (class means over a per-dimension variance)
 * in 5-fold cross-validation, averaged over folds. 0.5 means indistinguishable. A linear discriminant rather than a
 * fitted logistic regression: it has a closed form, so each of a thousand permutations costs two passes over the
 * embeddings, and on 384-dimensional sentence embeddings it separates domains about as well.
 */
public final class DomainClassifierAuc implements DriftStatistic {

    public static final String NAME = "input.embedding.auc";
    static final int FOLDS = 5;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Prepared> prepare(PooledSample pooled) {
        float[][] x = pooled.embeddings();
        if (x == null || pooled.size() < 4 * FOLDS) {
            return Optional.empty();
        }
        int n = x.length;
        int dims = x[0].length;
        // Fold by position: the pooled items are in a fixed pseudo-random order within each group, so every fold
        // gets a share of both, and the folds do not depend on the grouping being tested.
        int[] fold = new int[n];
        for (int i = 0; i < n; i++) {
            fold[i] = i % FOLDS;
        }
        double[] total = new double[dims];
        double[][] foldSum = new double[FOLDS][dims];
        double[][] foldSquares = new double[FOLDS][dims];
        int[] foldSize = new int[FOLDS];
        for (int i = 0; i < n; i++) {
            foldSize[fold[i]]++;
            for (int d = 0; d < dims; d++) {
                double v = x[i][d];
                total[d] += v;
                foldSum[fold[i]][d] += v;
                foldSquares[fold[i]][d] += v * v;
            }
        }
        // Per fold, the variance of each dimension over the training folds, both groups together: it does not
        // depend on the grouping either.
        double[][] trainVariance = new double[FOLDS][dims];
        double[] allSquares = new double[dims];
        for (int f = 0; f < FOLDS; f++) {
            for (int d = 0; d < dims; d++) {
                allSquares[d] += foldSquares[f][d];
            }
        }
        for (int f = 0; f < FOLDS; f++) {
            int m = n - foldSize[f];
            for (int d = 0; d < dims; d++) {
                double mean = (total[d] - foldSum[f][d]) / m;
                trainVariance[f][d] = Math.max(1e-8, (allSquares[d] - foldSquares[f][d]) / m - mean * mean);
            }
        }
        return Optional.of(new Prepared() {
            @Override
            public double value(boolean[] current) {
                double[][] currentSum = new double[FOLDS][dims];
                int[] currentCount = new int[FOLDS];
                double[] currentTotal = new double[dims];
                int currentAll = 0;
                for (int i = 0; i < n; i++) {
                    if (current[i]) {
                        currentCount[fold[i]]++;
                        currentAll++;
                        double[] row = currentSum[fold[i]];
                        for (int d = 0; d < dims; d++) {
                            row[d] += x[i][d];
                            currentTotal[d] += x[i][d];
                        }
                    }
                }
                double weighted = 0;
                int counted = 0;
                double[] w = new double[dims];
                for (int f = 0; f < FOLDS; f++) {
                    int trainCurrent = currentAll - currentCount[f];
                    int trainReference = n - foldSize[f] - trainCurrent;
                    int heldCurrent = currentCount[f];
                    int heldReference = foldSize[f] - heldCurrent;
                    if (trainCurrent < 2 || trainReference < 2 || heldCurrent == 0 || heldReference == 0) {
                        continue;
                    }
                    for (int d = 0; d < dims; d++) {
                        double cur = (currentTotal[d] - currentSum[f][d]) / trainCurrent;
                        double ref = (total[d] - foldSum[f][d] - (currentTotal[d] - currentSum[f][d]))
                                / trainReference;
                        w[d] = (cur - ref) / trainVariance[f][d];
                    }
                    double[] scores = new double[foldSize[f]];
                    boolean[] positive = new boolean[foldSize[f]];
                    int k = 0;
                    for (int i = f; i < n; i += FOLDS) {
                        double s = 0;
                        for (int d = 0; d < dims; d++) {
                            s += w[d] * x[i][d];
                        }
                        scores[k] = s;
                        positive[k++] = current[i];
                    }
                    weighted += auc(scores, positive) * foldSize[f];
                    counted += foldSize[f];
                }
                return counted == 0 ? 0.5 : weighted / counted;
            }

            @Override
            public String evidence(boolean[] current) {
                return EmbeddingShift.largestDimensions(x, current, 3);
            }
        });
    }

    /** Mann-Whitney AUC: the chance that a random positive scores above a random negative, ties counting half. */
    static double auc(double[] scores, boolean[] positive) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSum = 0;
        long positives = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double midRank = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) {
                if (positive[order[t]]) {
                    rankSum += midRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            return 0.5;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / (positives * (double) negatives);
    }
}
