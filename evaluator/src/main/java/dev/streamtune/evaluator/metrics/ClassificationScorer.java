package dev.streamtune.evaluator.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.streamtune.schema.ClassMetrics;
import dev.streamtune.schema.ClassificationMetrics;

/**
 * Accuracy, per-class precision/recall/F1, macro-F1 and expected calibration error of a set of predictions.
 *
 * <p>Macro-F1 averages over the classes that occur as a true or a predicted label (scikit-learn's convention), so a
 * label nobody used neither helps nor hurts.
 */
public final class ClassificationScorer {

    /** Equal-width confidence bins for ECE, as in Guo et al. 2017. */
    static final int CALIBRATION_BINS = 10;

    private ClassificationScorer() {
    }

    public static ClassificationMetrics score(List<ScoredExample> examples) {
        if (examples.isEmpty()) {
            return ClassificationMetrics.newBuilder().setExamples(0).setAccuracy(0).setMacroF1(0)
                    .setExpectedCalibrationError(0).setPerClass(Map.of()).build();
        }
        TreeSet<String> labels = new TreeSet<>();
        examples.forEach(e -> {
            labels.add(e.actual());
            labels.add(e.predicted());
        });
        Map<String, ClassMetrics> perClass = new LinkedHashMap<>();
        double f1Sum = 0;
        for (String label : labels) {
            long truePositives = 0;
            long predictedPositive = 0;
            long support = 0;
            for (ScoredExample e : examples) {
                boolean actual = e.actual().equals(label);
                boolean predicted = e.predicted().equals(label);
                support += actual ? 1 : 0;
                predictedPositive += predicted ? 1 : 0;
                truePositives += actual && predicted ? 1 : 0;
            }
            double precision = ratio(truePositives, predictedPositive);
            double recall = ratio(truePositives, support);
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass.put(label, new ClassMetrics(precision, recall, f1, support));
            f1Sum += f1;
        }
        long correct = examples.stream().filter(ScoredExample::correct).count();
        return ClassificationMetrics.newBuilder()
                .setExamples(examples.size())
                .setAccuracy(ratio(correct, examples.size()))
                .setMacroF1(f1Sum / labels.size())
                .setExpectedCalibrationError(expectedCalibrationError(examples))
                .setPerClass(perClass)
                .build();
    }

    /** Weighted mean, over confidence bins, of |accuracy - mean confidence| in the bin. */
    public static double expectedCalibrationError(List<ScoredExample> examples) {
        long[] counts = new long[CALIBRATION_BINS];
        long[] correct = new long[CALIBRATION_BINS];
        double[] confidence = new double[CALIBRATION_BINS];
        for (ScoredExample e : examples) {
            // Bins are (0, 0.1], (0.1, 0.2], ... ; confidence 0 joins the first bin.
            int bin = Math.max(0, Math.min(CALIBRATION_BINS - 1, (int) Math.ceil(e.confidence() * CALIBRATION_BINS) - 1));
            counts[bin]++;
            correct[bin] += e.correct() ? 1 : 0;
            confidence[bin] += e.confidence();
        }
        double ece = 0;
        for (int bin = 0; bin < CALIBRATION_BINS; bin++) {
            if (counts[bin] > 0) {
                double gap = Math.abs((double) correct[bin] / counts[bin] - confidence[bin] / counts[bin]);
                ece += gap * counts[bin] / examples.size();
            }
        }
        return ece;
    }

    static double ratio(long numerator, long denominator) {
        return denominator == 0 ? 0 : (double) numerator / denominator;
    }
}
