package dev.streamtune.trainer.training;

import java.util.List;

import dev.streamtune.model.LabeledText;
import dev.streamtune.model.Prediction;
import dev.streamtune.model.TextClassifier;

/** Mean cross-entropy and accuracy of a classifier on labelled texts (inference mode, no dropout). */
public record ValidationScore(double loss, double accuracy, int examples) {

    /** Probabilities are floored so one confident mistake cannot make the loss infinite. */
    private static final double MIN_PROBABILITY = 1e-7;
    private static final int BATCH = 64;

    public static ValidationScore of(TextClassifier classifier, List<LabeledText> examples) {
        if (examples.isEmpty()) {
            return new ValidationScore(Double.NaN, Double.NaN, 0);
        }
        double loss = 0;
        int correct = 0;
        for (int from = 0; from < examples.size(); from += BATCH) {
            List<LabeledText> chunk = examples.subList(from, Math.min(examples.size(), from + BATCH));
            List<Prediction> predictions = classifier.predict(chunk.stream().map(LabeledText::text).toList());
            for (int i = 0; i < chunk.size(); i++) {
                String label = chunk.get(i).label();
                loss -= Math.log(Math.max(MIN_PROBABILITY, predictions.get(i).probability(label)));
                correct += predictions.get(i).label().equals(label) ? 1 : 0;
            }
        }
        return new ValidationScore(loss / examples.size(), (double) correct / examples.size(), examples.size());
    }
}
