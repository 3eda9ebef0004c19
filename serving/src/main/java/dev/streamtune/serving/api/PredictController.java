package dev.streamtune.serving.api;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.streamtune.model.Prediction;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.serving.predict.Answer;
import dev.streamtune.serving.predict.JsonBodySchema;
import dev.streamtune.serving.predict.PredictionService;
import dev.streamtune.serving.predict.RequestLimits;
import dev.streamtune.serving.tasks.ServedTasks;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import dev.streamtune.serving.annotation.AnnotationRequester;

/**
 * Predictions: validates, hands the texts to the task's micro-batcher (routed by the routing key while a canary
 * runs), offers the answer to the annotation requester, and shapes the answer.
 */
@Controller("/v1/tasks/{task}/predict")
@Tag(name = "predict")
final class PredictController {

    private final PredictionService predictions;
    private final RequestLimits limits;
    private final ServedTasks tasks;
    private final AnnotationRequester annotations;

    PredictController(PredictionService predictions, RequestLimits limits, ServedTasks tasks,
                      AnnotationRequester annotations) {
        this.annotations = annotations;
        this.predictions = predictions;
        this.limits = limits;
        this.tasks = tasks;
    }

    @Post
    @ClientTokenRequired
    @Operation(summary = "Classify one text or a batch of texts with the task's current adapter",
            description = "Each text longer than the task's text policy allows (maxChars) is cut the way ingest cuts "
                    + "training text (head, or head and tail) and answered with truncated: true; under the REJECT "
                    + "policy the call is refused with 422 instead.")
    @ApiResponse(responseCode = "200", description = "The predictions, all made by the same adapter")
    @ApiResponse(responseCode = "400", description = "Malformed JSON or task name, an unknown field, a field of the "
            + "wrong JSON type (a number where text is expected)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "401", description = "serving.api-tokens is set and no valid bearer token was sent",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "The task is not in the task catalogue, or no adapter is "
            + "deployed for it yet",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "410", description = "The task was retired in the catalogue",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = "Too many texts, a text over the hard limit "
            + "(serving.max-text-length), or a body over micronaut.server.max-request-size",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "422", description = "Neither or both of text/texts, a blank text, or a text over "
            + "the task's maxChars when its text policy is REJECT (every such text is named)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "503", description = "The task's queue is full, or its first adapter is loading",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    CompletableFuture<PredictResponse> predict(@PathVariable String task,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PredictRequest.class)))
            @Nullable @Body byte[] json) {
        String checkedTask = RequestLimits.task(task);
        JsonBodySchema.JsonBody body = limits.predictBody().read(json);
        List<String> texts = limits.texts(body.text("text"), body.texts("texts"));
        TaskDefinition definition = tasks.require(checkedTask);
        Map<String, String> attributes = java.util.Objects.requireNonNullElse(body.textMap("attributes"), Map.of());
        return predictions.predict(checkedTask, ServedTasks.fit(definition, texts, body.text("text") != null),
                        body.text("routingKey"))
                .thenApply(answer -> {
                    annotations.answered(answer, attributes);
                    return PredictResponse.of(answer);
                })
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(
                        e instanceof CompletionException && e.getCause() != null ? e.getCause() : e));
    }

    /** The body's documentation for the OpenAPI description; {@link RequestLimits#predictBody()} reads it. */
    @Schema(description = "Either text (one string) or texts (an array of strings)")
    record PredictRequest(@Nullable String text, @Nullable List<String> texts,
                          @Schema(description = "A stable key of the caller (user or session id): while a canary "
                                  + "runs, the same key is always answered by the same model. Without it each call "
                                  + "is routed on its own.") @Nullable String routingKey,
                          @Schema(description = "Slice attributes of the request (channel, locale, ...): a "
                                  + "prediction in a slice drift reports flagged may be sent for a human label")
                          @Nullable Map<String, String> attributes) {
    }

    @Serdeable
    record PredictResponse(String requestId, String task, String adapterId, String baseModel,
                           @Schema(description = "champion, or canary when a rollout's candidate answered")
                           String servedBy, List<PredictionView> predictions) {
        static PredictResponse of(Answer answer) {
            return new PredictResponse(answer.requestId(), answer.task(), answer.adapterId(), answer.baseModelId(),
                    answer.role().name().toLowerCase(java.util.Locale.ROOT),
                    answer.predictions().stream().map(PredictionView::of).toList());
        }
    }

    /**
     * @param predictionId what feedback names: the request id for a single text, requestId-index in a batch
     * @param truncated    whether the text was cut to the task's text policy (maxChars) before the model read it
     */
    @Serdeable
    record PredictionView(String predictionId, String label, double confidence, Map<String, Double> probabilities,
                          @Schema(description = "Whether the text was cut to the task's text policy before the "
                                  + "model read it") boolean truncated) {
        static PredictionView of(Answer.Served served) {
            Prediction p = served.prediction();
            return new PredictionView(served.predictionId(), p.label(), p.confidence(), p.byLabel(),
                    served.truncated());
        }
    }
}
