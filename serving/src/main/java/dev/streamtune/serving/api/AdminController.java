package dev.streamtune.serving.api;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.function.Supplier;

import dev.streamtune.serving.RequestRejectedException;
import dev.streamtune.serving.RequestRejectedException.Reason;
import dev.streamtune.serving.ServingSettings;
import dev.streamtune.serving.predict.RequestLimits;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operator commands, authenticated with {@code Authorization: Bearer <serving.admin-token>} and forwarded to the
 * evaluator, the only writer of the deployments topic. The evaluator's answer (status and JSON body) is relayed
 * as is; the new deployment then reaches this service through the topic like any other.
 */
@Controller("/admin/tasks/{task}")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "admin")
@SecurityRequirement(name = "bearer")
@ApiResponse(responseCode = "200", description = "The evaluator's answer, relayed as is (status and JSON body)")
@ApiResponse(responseCode = "401", description = "Missing or wrong bearer token",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "403", description = "Admin endpoints disabled (no serving.admin-token)",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "502", description = "The evaluator did not answer",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
final class AdminController {

    private static final Logger LOG = LoggerFactory.getLogger(AdminController.class);

    private final HttpClient evaluator;
    private final ServingSettings settings;
    private final BearerTokens token;

    AdminController(@Client(id = "evaluator") HttpClient evaluator, ServingSettings settings) {
        this.evaluator = evaluator;
        this.settings = settings;
        this.token = BearerTokens.of(Collections.singletonList(settings.adminToken()));
    }

    @Post("/rollback")
    @Operation(summary = "Put back the adapter the current one replaced; during a rollout, end it without its "
            + "candidate")
    HttpResponse<String> rollback(@PathVariable String task, @Nullable @QueryValue String by,
                                  @Nullable @Header("Authorization") String authorization) {
        return forward(authorization, () -> HttpRequest.POST(path(task, "/rollback") + "?by=" + operator(by), ""));
    }

    @Post("/pin")
    @Operation(summary = "Keep the current adapter: automatic promotions wait, and a running rollout pauses at its "
            + "step, until unpinned")
    HttpResponse<String> pin(@PathVariable String task, @Nullable @Header("Authorization") String authorization) {
        return forward(authorization, () -> HttpRequest.POST(path(task, "/pin"), ""));
    }

    @Post("/unpin")
    @Operation(summary = "Let automatic promotions deploy again")
    HttpResponse<String> unpin(@PathVariable String task, @Nullable @Header("Authorization") String authorization) {
        return forward(authorization, () -> HttpRequest.POST(path(task, "/unpin"), ""));
    }

    @Post("/rollout/promote")
    @Operation(summary = "End the task's rollout now with its candidate answering everything")
    HttpResponse<String> promote(@PathVariable String task, @Nullable @QueryValue String by,
                                 @Nullable @Header("Authorization") String authorization) {
        return forward(authorization, () -> HttpRequest.POST(path(task, "/rollout/promote") + "?by=" + operator(by),
                ""));
    }

    @Get("/rollout")
    @Operation(summary = "The task's running rollout: stage, share, both models' live answers and corrections in "
            + "this step, the evaluator's latest judgement")
    HttpResponse<String> rollout(@PathVariable String task, @Nullable @Header("Authorization") String authorization) {
        return forward(authorization, () -> HttpRequest.GET(path(task, "/rollout")));
    }

    @Get("/deployment")
    @Operation(summary = "The evaluator's current deployment record for the task")
    HttpResponse<String> deployment(@PathVariable String task,
                                    @Nullable @Header("Authorization") String authorization) {
        return forward(authorization, () -> HttpRequest.GET(path(task, "/deployment")));
    }

    private static String path(String task, String action) {
        return "/admin/tasks/" + RequestLimits.task(task) + action;
    }

    private static String operator(String by) {
        String name = by == null || by.isBlank() ? "serving-admin" : by.strip();
        return java.net.URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    /** Authenticates first, so that a caller without the token learns nothing else (not even a bad task name). */
    private HttpResponse<String> forward(String authorization, Supplier<MutableHttpRequest<?>> toEvaluator) {
        authenticate(authorization);
        MutableHttpRequest<?> request = toEvaluator.get();
        request.bearerAuth(settings.evaluatorAdminToken() == null ? "" : settings.evaluatorAdminToken())
                .accept(MediaType.APPLICATION_JSON_TYPE);
        try {
            HttpResponse<String> answer = evaluator.toBlocking().exchange(request, String.class);
            return relay(answer.status(), answer.getBody().orElse(""));
        } catch (HttpClientResponseException e) {
            return relay(e.getStatus(), e.getResponse().getBody(String.class).orElse(""));
        } catch (HttpClientException e) {
            LOG.warn("The evaluator at {} did not answer {}: {}", settings.evaluatorUrl(), request.getPath(),
                    e.toString());
            throw new RequestRejectedException(Reason.BAD_GATEWAY, "The evaluator at " + settings.evaluatorUrl()
                    + " did not answer; see serving's log, and EVALUATOR_URL");
        }
    }

    private void authenticate(String authorization) {
        if (!token.enabled()) {
            throw new RequestRejectedException(Reason.FORBIDDEN,
                    "Admin endpoints are disabled: set SERVING_ADMIN_TOKEN");
        }
        if (!token.accepts(authorization)) {
            throw new RequestRejectedException(Reason.UNAUTHORIZED, "Missing or wrong bearer token");
        }
    }

    private static HttpResponse<String> relay(HttpStatus status, String body) {
        return HttpResponse.<String>status(status).contentType(MediaType.APPLICATION_JSON_TYPE).body(body);
    }
}
