package dev.streamtune.evaluator.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.streamtune.model.ExpectedCalibrationError;
import dev.streamtune.schema.ClassMetrics;
import dev.streamtune.schema.ClassificationMetrics;

/**
 * Accuracy, per-class precision/recall/F1, macro-F1 and expected calibration error of a set of predictions.
 *
 * <p>Macro-F1 averages over the classes that occur as a true or a predicted label (scikit-learn's convention), so a
 * label nobody used neither helps nor hurts.
 */
public final class ClassificationScorer {

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

    /**
     * Weighted mean, over confidence bins, of |accuracy - mean confidence| in the bin: the model module's
     * {@link ExpectedCalibrationError}, which the trainer also reports before and after calibrating a candidate.
     */
    public static double expectedCalibrationError(List<ScoredExample> examples) {
        double[] confidences = new double[examples.size()];
        boolean[] correct = new boolean[examples.size()];
        for (int i = 0; i < confidences.length; i++) {
            confidences[i] = examples.get(i).confidence();
            correct[i] = examples.get(i).correct();
        }
        return ExpectedCalibrationError.of(confidences, correct);
    }

    static double ratio(long numerator, long denominator) {
        return denominator == 0 ? 0 : (double) numerator / denominator;
    }
}
