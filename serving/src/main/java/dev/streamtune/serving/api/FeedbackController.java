package dev.streamtune.serving.api;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.streamtune.contract.Topics;
import dev.streamtune.schema.FeedbackEvent;
import dev.streamtune.serving.RequestRejectedException;
import dev.streamtune.serving.RequestRejectedException.Reason;
import dev.streamtune.serving.ServingMetrics;
import dev.streamtune.serving.feedback.FeedbackInput;
import dev.streamtune.serving.feedback.FeedbackMapper;
import dev.streamtune.serving.kafka.ServingPublisher;
import dev.streamtune.serving.predict.JsonBodySchema;
import dev.streamtune.serving.predict.RecentPredictions;
import dev.streamtune.serving.predict.RequestLimits;
import dev.streamtune.serving.tasks.ServedTasks;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Feedback on served predictions: completed from memory, validated, written to feedback.events (202 once acked). */
@Controller("/v1/feedback")
@Tag(name = "feedback")
final class FeedbackController {

    private static final Logger LOG = LoggerFactory.getLogger(FeedbackController.class);
    private static final long ACK_TIMEOUT_SECONDS = 10;

    private final FeedbackMapper mapper;
    private final JsonBodySchema bodySchema;
    private final RecentPredictions recent;
    private final ServedTasks tasks;
    private final ServingPublisher publisher;
    private final ServingMetrics metrics;
    private final Clock clock;

    FeedbackController(FeedbackMapper mapper, RequestLimits limits, RecentPredictions recent, ServedTasks tasks,
                       ServingPublisher publisher, ServingMetrics metrics, Clock clock) {
        this.mapper = mapper;
        this.bodySchema = limits.feedbackBody();
        this.recent = recent;
        this.tasks = tasks;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Post
    @ClientTokenRequired
    @Operation(summary = "Correct or rate a served prediction; becomes a FeedbackEvent on feedback.events")
    @ApiResponse(responseCode = "202", description = "Written to feedback.events",
            content = @Content(schema = @Schema(implementation = FeedbackAccepted.class)))
    @ApiResponse(responseCode = "400", description = "Malformed JSON, an unknown field, a field of the wrong JSON "
            + "type (a number where text is expected), a control character in an id or label",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "401", description = "serving.api-tokens is set and no valid bearer token was sent",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "The prediction is not remembered and no text was given, "
            + "or the task is not in the task catalogue",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "410", description = "The task was retired in the catalogue",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = "A field longer than its limit, or too many attributes",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "422", description = "No correction or rating, rating outside 1-5, a label the "
            + "task does not have in the catalogue now",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "503", description = "Kafka did not take the event in time",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    CompletableFuture<HttpResponse<FeedbackAccepted>> feedback(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = FeedbackRequest.class)))
            @Nullable @Body byte[] json) {
        JsonBodySchema.JsonBody body = bodySchema.read(json);
        FeedbackInput input = new FeedbackInput(body.text("requestId"), body.text("correctedLabel"),
                body.wholeNumber("rating"), body.text("task"), body.text("text"), body.text("predictedLabel"),
                body.text("adapterId"), body.textMap("attributes"));
        FeedbackEvent event = mapper.map(input, input.requestId() == null ? java.util.Optional.empty()
                        : recent.find(input.requestId()),
                tasks::labels, clock.instant());
        return publisher.send(Topics.FEEDBACK_EVENTS, event.getRequestId(), event)
                .orTimeout(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .exceptionallyCompose(error -> {
                    // The cause is for the operator's log; the caller learns only that it may try again.
                    LOG.warn("Feedback {} for task {} not written to {}: {}", event.getRequestId(), event.getTask(),
                            Topics.FEEDBACK_EVENTS.name(), error.toString());
                    return CompletableFuture.failedFuture(new RequestRejectedException(Reason.UNAVAILABLE,
                            "Feedback could not be written to Kafka within " + ACK_TIMEOUT_SECONDS
                                    + " s; try again"));
                })
                .thenApply(ack -> {
                    metrics.feedback(event.getTask(), event.getCorrectedLabel() != null);
                    return HttpResponse.accepted().body(new FeedbackAccepted(event.getRequestId(), event.getTask(),
                            event.getModelVersion(), event.getPredictedLabel(), event.getCorrectedLabel(),
                            event.getRating()));
                });
    }

    /** The body's documentation for the OpenAPI description; {@link RequestLimits#feedbackBody()} reads it. */
    @Schema(description = "requestId is the predictionId of the answer; give correctedLabel, rating (1-5) or both. "
            + "task, text and predictedLabel are needed only for predictions this process no longer remembers.")
    record FeedbackRequest(@Nullable String requestId, @Nullable String correctedLabel, @Nullable Long rating,
                           @Nullable String task, @Nullable String text, @Nullable String predictedLabel,
                           @Nullable String adapterId, @Nullable Map<String, String> attributes) {
    }

    @Serdeable
    record FeedbackAccepted(String requestId, String task, String adapterId, String predictedLabel,
                            @Nullable String correctedLabel, @Nullable Integer rating) {
    }
}
