package dev.streamtune.contract;

import dev.streamtune.schema.FeedbackEvent;
import dev.streamtune.schema.PredictionLog;

/**
 * What a served prediction and the feedback on it say about the model, read the same way by serving's dashboard and
 * the evaluator's label-free performance estimate.
 */
public final class ServedAnswers {

    private ServedAnswers() {
    }

    /**
     * The probability of the predicted label: for a calibrated model, the chance that this answer is right, so its
     * mean over served traffic estimates accuracy without labels (confidence-based performance estimation).
     */
    public static double confidence(PredictionLog prediction) {
        return prediction.getProbabilities().values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    /**
     * Whether feedback says the prediction was right: a correction is right when it repeats the predicted label; a
     * rating of 4-5 says right, 1-2 wrong; null when it does not say (a rating of 3, or neither).
     */
    public static Boolean judgedRight(FeedbackEvent feedback) {
        String corrected = feedback.getCorrectedLabel();
        if (corrected != null && !corrected.isBlank()) {
            return corrected.equals(feedback.getPredictedLabel());
        }
        Integer rating = feedback.getRating();
        if (rating == null || rating == 3) {
            return null;
        }
        return rating >= 4;
    }
}
