package dev.streamtune.evaluator.drift;

import java.util.Locale;
import java.util.Optional;

/**
 * How much lower the served model's mean confidence is now than during the reference window
 * ({@code served.confidence.drop}): for a calibrated model, mean confidence is its expected accuracy, so this is the
 * drop of the label-free accuracy estimate. One-sided: a model that became surer is no reason to retrain.
 */
public final class ConfidenceDrop implements DriftStatistic {

    public static final String NAME = "served.confidence.drop";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Prepared> prepare(PooledSample pooled) {
        double[] confidence = pooled.items().stream().mapToDouble(DriftItem::confidence).toArray();
        for (double c : confidence) {
            if (Double.isNaN(c)) {
                return Optional.empty(); // examples, not served predictions
            }
        }
        return Optional.of(new Prepared() {
            @Override
            public double value(boolean[] current) {
                double[] means = means(current);
                return means[0] - means[1];
            }

            @Override
            public String evidence(boolean[] current) {
                double[] means = means(current);
                return String.format(Locale.ROOT, "estimated accuracy %.3f -> %.3f", means[0], means[1]);
            }

            private double[] means(boolean[] current) {
                double[] sum = new double[2];
                int[] n = new int[2];
                for (int i = 0; i < confidence.length; i++) {
                    int side = current[i] ? 1 : 0;
                    sum[side] += confidence[i];
                    n[side]++;
                }
                return new double[] {n[0] == 0 ? 0 : sum[0] / n[0], n[1] == 0 ? 0 : sum[1] / n[1]};
            }
        });
    }
}
