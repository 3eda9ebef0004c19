package dev.streamtune.serving.feedback;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import dev.streamtune.schema.FeedbackEvent;
import dev.streamtune.serving.RequestRejectedException;
import dev.streamtune.serving.RequestRejectedException.Reason;
import dev.streamtune.serving.predict.RecentPredictions;
import dev.streamtune.serving.predict.RequestLimits;

/**
 * Turns feedback into a {@link FeedbackEvent}. The served prediction, when still remembered, is the truth about
 * task, text, predicted label and adapter; otherwise the caller must supply the text and the task. A correction
 * (and a predicted label sent along) must name one of the task's labels in the catalogue now, so a label appended a
 * moment ago is accepted at once, even though the adapter that answered has not learned it yet. Feedback on a task
 * the catalogue does not hold (404) or retired (410) is refused: every accepted task becomes training data, metric
 * series and dashboard series.
 */
public final class FeedbackMapper {

    private final RequestLimits limits;
    private final int rememberedPredictions;

    public FeedbackMapper(RequestLimits limits, int rememberedPredictions) {
        this.limits = limits;
        this.rememberedPredictions = rememberedPredictions;
    }

    /**
     * @param recent        the prediction the feedback names, if this process still remembers it
     * @param taskLabels    the labels of a task in the catalogue now (what a correction may name, including a label
     *                      appended after the prediction was served); throws a NOT_FOUND or GONE rejection for a
     *                      task serving does not answer
     */
    public FeedbackEvent map(FeedbackInput input, Optional<RecentPredictions.Recent> recent,
                             Function<String, List<String>> taskLabels, Instant now) {
        if (input.requestId() == null || input.requestId().isBlank()) {
            throw new RequestRejectedException(Reason.INVALID, "\"requestId\" is required: the id of the prediction "
                    + "the feedback is about (predictions[].predictionId of the predict answer)");
        }
        limits.identifier("requestId", input.requestId());
        String corrected = limits.identifier("correctedLabel", blankToNull(input.correctedLabel()));
        Long rating = input.rating();
        if (corrected == null && rating == null) {
            throw new RequestRejectedException(Reason.INVALID, "Give \"correctedLabel\", \"rating\" (1-5) or both");
        }
        if (rating != null && (rating < 1 || rating > 5)) {
            throw new RequestRejectedException(Reason.INVALID, "\"rating\" must be 1 (wrong) to 5 (right), not "
                    + rating);
        }
        Map<String, String> attributes = input.attributes() == null ? Map.of() : input.attributes();
        attributes.keySet().forEach(key -> limits.identifier("attributes key", key));
        FeedbackEvent.Builder event = FeedbackEvent.newBuilder().setRequestId(input.requestId())
                .setCorrectedLabel(corrected).setRating(rating == null ? null : rating.intValue()).setEventTime(now)
                .setAttributes(Map.copyOf(attributes));
        List<String> labels;
        if (recent.isPresent()) {
            RecentPredictions.Recent served = recent.get();
            if (input.task() != null && !input.task().equals(served.task())) {
                throw new RequestRejectedException(Reason.INVALID, "Prediction " + input.requestId()
                        + " was made for task '" + served.task() + "', not '" + input.task() + "'");
            }
            event.setTask(served.task()).setText(served.text()).setPredictedLabel(served.predictedLabel())
                    .setModelVersion(served.adapterId());
            labels = taskLabels.apply(served.task());
        } else {
            if (input.text() == null) {
                throw new RequestRejectedException(Reason.NOT_FOUND, "No recent prediction " + input.requestId()
                        + " (this process remembers its last " + rememberedPredictions + "); send \"text\", \"task\""
                        + " and \"predictedLabel\" with the feedback");
            }
            if (input.task() == null) {
                throw new RequestRejectedException(Reason.INVALID, "\"task\" is required with feedback on a "
                        + "prediction this process does not remember");
            }
            String task = RequestLimits.task(input.task());
            labels = taskLabels.apply(task);
            String predicted = limits.identifier("predictedLabel", blankToNull(input.predictedLabel()));
            if (predicted != null && !labels.contains(predicted)) {
                throw new RequestRejectedException(Reason.INVALID, "\"predictedLabel\" '" + predicted
                        + "' is not a label of task '" + task + "'; expected one of " + labels);
            }
            String adapterId = limits.identifier("adapterId", blankToNull(input.adapterId()));
            event.setTask(task).setText(limits.text("text", input.text()))
                    .setPredictedLabel(predicted == null ? "" : predicted)
                    .setModelVersion(adapterId == null ? "unknown" : adapterId);
        }
        if (corrected != null && !labels.contains(corrected)) {
            throw new RequestRejectedException(Reason.INVALID, "\"correctedLabel\" '" + corrected
                    + "' is not a label of task '" + event.getTask() + "'; expected one of " + labels);
        }
        return event.build();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
