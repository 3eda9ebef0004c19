package dev.streamtune.trainer.training;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.streamtune.model.ExpectedCalibrationError;
import dev.streamtune.model.LabeledText;
import dev.streamtune.model.TemperatureScaling;
import dev.streamtune.model.TextClassifier;

/**
 * A round's calibration: the temperature fitted on the candidate's validation split (once its training is done) and
 * set on the classifier, so it is saved in the adapter file and served probabilities mean what they say; with the
 * expected calibration error before and after, for the trainer's log and the candidate's metrics and lineage.
 *
 * <p>The validation split is also what early stopping chose the weights on, as in Guo et al. 2017; the
 * evaluator's ECE on the held-out test split is the unbiased figure.
 *
 * <p>It is also the one pass over the whole validation split (early stopping looks at a {@link ValidationSample}),
 * so the candidate's validation accuracy is measured here.
 *
 * @param temperature the temperature set on the classifier (1 when not fitted)
 * @param fitted      false when the split was too small to fit on
 * @param examples    validation examples the figures are measured on
 * @param accuracy    of the final weights on them (a temperature does not change which label wins)
 */
public record CandidateCalibration(double temperature, boolean fitted, int examples, double accuracy,
                                   double eceBefore, double eceAfter, double nllBefore, double nllAfter) {

    /**
     * Fewer examples than this fit a temperature to noise (one example moves a 10-bin ECE by 5%), so the
     * candidate keeps T = 1 and its lineage says why.
     */
    public static final int MIN_EXAMPLES = 20;

    /**
     * Fits the temperature of {@code classifier} on {@code validation} and sets it (or sets 1 when there are fewer
     * than {@link #MIN_EXAMPLES} examples, or labels its head does not have).
     */
    public static CandidateCalibration fit(TextClassifier classifier, List<LabeledText> validation) {
        List<LabeledText> usable = validation.stream().filter(e -> classifier.labels().contains(e.label())).toList();
        if (usable.isEmpty()) {
            classifier.calibrate(1);
            return new CandidateCalibration(1, false, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        float[][] logits = classifier.logits(usable.stream().map(LabeledText::text).toList());
        int[] labels = usable.stream().mapToInt(e -> classifier.config().labelIndex(e.label())).toArray();
        double accuracy = accuracy(logits, labels);
        double eceBefore = ExpectedCalibrationError.ofLogits(logits, labels, 1);
        double nllBefore = TemperatureScaling.nll(logits, labels, 1);
        if (usable.size() < MIN_EXAMPLES) {
            classifier.calibrate(1);
            return new CandidateCalibration(1, false, usable.size(), accuracy, eceBefore, eceBefore, nllBefore,
                    nllBefore);
        }
        TemperatureScaling.Fit fit = TemperatureScaling.fit(logits, labels);
        classifier.calibrate(fit.temperature());
        return new CandidateCalibration(fit.temperature(), true, usable.size(), accuracy, eceBefore,
                ExpectedCalibrationError.ofLogits(logits, labels, fit.temperature()), nllBefore, fit.nllAfter());
    }

    private static double accuracy(float[][] logits, int[] labels) {
        int correct = 0;
        for (int i = 0; i < logits.length; i++) {
            int best = 0;
            for (int j = 1; j < logits[i].length; j++) {
                best = logits[i][j] > logits[i][best] ? j : best;
            }
            correct += best == labels[i] ? 1 : 0;
        }
        return (double) correct / logits.length;
    }

    /** For the candidate's {@code validationMetrics} (NaN figures, from an empty split, are left out). */
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("calibration.temperature", temperature);
        m.put("calibration.examples", (double) examples);
        put(m, "validation.accuracy", accuracy);
        put(m, "validation.ece.uncalibrated", eceBefore);
        put(m, "validation.ece", eceAfter);
        put(m, "validation.nll.uncalibrated", nllBefore);
        put(m, "validation.nll", nllAfter);
        return m;
    }

    /** One line for the log and the candidate's lineage. */
    public String summary() {
        if (!fitted) {
            return String.format(Locale.ROOT, "calibration: temperature 1 (not fitted: %d validation examples, "
                    + "need %d)%s", examples, MIN_EXAMPLES,
                    examples == 0 ? "" : String.format(Locale.ROOT, "; validation ECE %.4f", eceBefore));
        }
        boolean atBound = temperature <= TemperatureScaling.MIN_TEMPERATURE * 1.001
                || temperature >= TemperatureScaling.MAX_TEMPERATURE / 1.001;
        return String.format(Locale.ROOT, "calibration: temperature %.4f%s fitted on %d validation examples; "
                        + "validation ECE %.4f -> %.4f, NLL %.4f -> %.4f", temperature,
                atBound ? " (at the search bound)" : "", examples, eceBefore, eceAfter, nllBefore, nllAfter);
    }

    private static void put(Map<String, Double> m, String key, double value) {
        if (!Double.isNaN(value)) {
            m.put(key, value);
        }
    }
}
