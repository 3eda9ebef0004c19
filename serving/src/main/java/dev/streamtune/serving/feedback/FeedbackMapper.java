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
 * must name one of the labels of the adapter that answered (or, for a prediction not remembered, of the adapter
 * serving the task now). Feedback on a task no adapter serves is refused: it could not be judged against a label
 * set, and every accepted task becomes training data, metric series and dashboard series.
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
     * @param currentLabels the labels of the adapter serving a task now, if any
     */
    public FeedbackEvent map(FeedbackInput input, Optional<RecentPredictions.Recent> recent,
                             Function<String, Optional<List<String>>> currentLabels, Instant now) {
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
            labels = served.labels();
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
            labels = currentLabels.apply(task).orElseThrow(() -> new RequestRejectedException(Reason.NOT_FOUND,
                    "No adapter serves task '" + task + "': feedback is taken only for tasks this service answers"));
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
