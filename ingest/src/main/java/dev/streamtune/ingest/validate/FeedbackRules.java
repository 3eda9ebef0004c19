package dev.streamtune.ingest.validate;

import static dev.streamtune.contract.ReasonCode.INVALID_FIELD;

import java.util.List;
import java.util.Optional;

import dev.streamtune.ingest.InvalidRecordException;
import dev.streamtune.ingest.config.TaskRules;

/**
 * When production feedback becomes a training example, and with which label:
 * <ol>
 *   <li>a correction ({@code correctedLabel}) always does, with that label;</li>
 *   <li>a rating of at least {@code feedback-confirm-min-rating} confirms the predicted label;</li>
 *   <li>on a two-label task, a rating of at most {@code feedback-flip-max-rating} (off by default) gives the other
 *       label;</li>
 *   <li>anything else teaches nothing: it is ignored (counted, not dead-lettered, since it is valid feedback).</li>
 * </ol>
 * A label the task does not know is rejected as UNKNOWN_LABEL, like a labelled example's.
 */
public final class FeedbackRules {

    private FeedbackRules() {
    }

    /** The label the feedback teaches, or empty when it teaches nothing. */
    public static Optional<String> labelFor(FeedbackFields feedback, TaskRules rules) {
        Integer rating = feedback.rating();
        if (rating != null && (rating < 1 || rating > 5)) {
            throw new InvalidRecordException(INVALID_FIELD, "rating must be 1 to 5, not " + rating);
        }
        String corrected = ExampleValidator.blankToNull(feedback.correctedLabel());
        if (corrected != null) {
            return Optional.of(ExampleValidator.canonicalLabel(corrected, rules, "correctedLabel"));
        }
        String predicted = ExampleValidator.blankToNull(feedback.predictedLabel());
        if (rating == null || predicted == null) {
            return Optional.empty();
        }
        if (rules.confirmMinRating() > 0 && rating >= rules.confirmMinRating()) {
            return Optional.of(ExampleValidator.canonicalLabel(predicted, rules, "predictedLabel"));
        }
        List<String> labels = rules.labels();
        if (rules.flipMaxRating() > 0 && rating <= rules.flipMaxRating() && labels.size() == 2) {
            String wrong = ExampleValidator.canonicalLabel(predicted, rules, "predictedLabel");
            return Optional.of(wrong.equals(labels.get(0)) ? labels.get(1) : labels.get(0));
        }
        return Optional.empty();
    }
}
