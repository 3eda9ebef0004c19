package dev.streamtune.evaluator.catalogue;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

import dev.streamtune.evaluator.AdminToken;
import dev.streamtune.evaluator.ErrorView;
import dev.streamtune.schema.TaskDefinition;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The task catalogue's HTTP API: list and show tasks, create one, append labels, change its policies, pause, resume
 * and retire it. Every call needs the admin bearer token ({@link AdminToken}); the token is checked before the
 * body is read. Translates only: {@link TaskCatalogueWriter} runs the commands, and a refusal is answered with its
 * status and {@code {"error": ...}}.
 */
@Controller("/tasks")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "tasks")
@SecurityRequirement(name = "bearer")
@ApiResponse(responseCode = "401", description = "Missing or wrong bearer token",
        content = @Content(schema = @Schema(implementation = ErrorView.class)))
@ApiResponse(responseCode = "403", description = "No admin token is configured (EVALUATOR_ADMIN_TOKEN)",
        content = @Content(schema = @Schema(implementation = ErrorView.class)))
@ApiResponse(responseCode = "503", description = "The evaluator is still replaying its topics, or did not run the "
        + "command within 30 s", content = @Content(schema = @Schema(implementation = ErrorView.class)))
final class TasksController {

    private static final String BY = "Who makes the change, recorded in the definition's changedBy";

    private final TaskCatalogueWriter catalogue;
    private final AdminToken token;
    private final JsonMapper json;

    TasksController(TaskCatalogueWriter catalogue, AdminToken token, JsonMapper json) {
        this.catalogue = catalogue;
        this.token = token;
        this.json = json;
    }

    @Get
    @Operation(summary = "Every task of the catalogue, retired ones included, by name")
    @ApiResponse(responseCode = "200", description = "The tasks",
            content = @Content(array = @ArraySchema(schema = @Schema(implementation = TaskView.class))))
    HttpResponse<?> list(@Nullable @Header("Authorization") String authorization) {
        return answer(authorization, () -> HttpResponse.ok(catalogue.all().stream().map(TaskView::of).toList()));
    }

    @Get("/{task}")
    @Operation(summary = "One task's current definition")
    @ApiResponse(responseCode = "200", description = "The task",
            content = @Content(schema = @Schema(implementation = TaskView.class)))
    @ApiResponse(responseCode = "404", description = "No such task",
            content = @Content(schema = @Schema(implementation = ErrorView.class)))
    HttpResponse<?> show(@PathVariable String task, @Nullable @Header("Authorization") String authorization) {
        return answer(authorization, () -> catalogue.find(task)
                .<HttpResponse<?>>map(d -> HttpResponse.ok(TaskView.of(d)))
                .orElseGet(() -> ErrorView.response(HttpStatus.NOT_FOUND, "no task " + task)));
    }

    @Post
    @Operation(summary = "Create a task: its name and first labels, and any policy that differs from the defaults")
    @ApiResponse(responseCode = "201", description = "Version 1 of the task, written to the tasks topic",
            content = @Content(schema = @Schema(implementation = TaskView.class)))
    @ApiResponse(responseCode = "400", description = "Malformed JSON or a field of the wrong type, an invalid task "
            + "name or label, an invalid policy, an unknown override key",
            content = @Content(schema = @Schema(implementation = ErrorView.class)))
    @ApiResponse(responseCode = "409", description = "The task exists (retired tasks keep their name), or a label "
            + "is given twice", content = @Content(schema = @Schema(implementation = ErrorView.class)))
    @ApiResponse(responseCode = "422", description = "More labels than the cap (1000)",
            content = @Content(schema = @Schema(implementation = ErrorView.class)))
    HttpResponse<?> create(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NewTask.class)))
            @Nullable @Body String body,
            @Parameter(description = BY) @QueryValue(defaultValue = "admin") String by,
            @Nullable @Header("Authorization") String authorization) {
        return answer(authorization, () -> HttpResponse.created(
                TaskView.of(catalogue.create(read(body, NewTask.class), by))));
    }

    @Post("/{task}/labels")
    @Operation(summary = "Append labels to a task, in the order given (labels are never removed or reordered)")
    @ApiResponse(responseCode = "200", description = "The task's next version",
            content = @Content(schema = @Schema(implementation = TaskView.class)))
    @ApiResponse(responseCode = "400", description = "Malformed JSON, no labels, an invalid label",
            content = @Content(schema = @Schema(implementation = ErrorView.class)))
    @ApiResponse(responseCode = "404", description = "No such task",
            content = @Content(schema = @Schema(implementation = ErrorView.class)))
    @ApiResponse(responseCode = "409", description = "A label the task already has or one given twice, or the task "
            + "is retired", content = @Content(schema = @Schema(implementation = ErrorView.class)))
    @ApiResponse(responseCode = "422", description = "The task would have more labels than the cap (1000)",
            content = @Content(schema = @Schema(implementation = ErrorView.class)))
    HttpResponse<?> addLabels(@PathVariable String task,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LabelsToAdd.class)))
            @Nullable @Body String body,
            @Parameter(description = BY) @QueryValue(defaultValue = "admin") String by,
            @Nullable @Header("Authorization") String authorization) {
        return answer(authorization, () -> HttpResponse.ok(TaskView.of(
                catalogue.appendLabels(task, read(body, LabelsToAdd.class).labels(), by))));
    }

    @Patch("/{task}")
    @Operation(summary = "Change a task's positive label, policies or overrides (absent fields stay as they are)")
    @ApiResponse(responseCode = "200", description = "The task's next version",
            content = @Content(schema = @Schema(implementation = TaskView.class)))
    @ApiResponse(responseCode = "400", description = "Malformed JSON, nothing to change, an invalid policy, an "
            + "unknown override key", content = @Content(schema = @Schema(implementation = ErrorView.class)))
    @ApiResponse(responseCode = "404", description = "No such task",
            content = @Content(schema = @Schema(implementation = ErrorView.class)))
    @ApiResponse(responseCode = "409", description = "The task is retired",
            content = @Content(schema = @Schema(implementation = ErrorView.class)))
    HttpResponse<?> change(@PathVariable String task,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskPolicies.class)))
            @Nullable @Body String body,
            @Parameter(description = BY) @QueryValue(defaultValue = "admin") String by,
            @Nullable @Header("Authorization") String authorization) {
        return answer(authorization, () -> HttpResponse.ok(TaskView.of(
                catalogue.change(task, read(body, TaskPolicies.class), by))));
    }

    @Post("/{task}/pause")
    @Operation(summary = "Pause a task: still ingested and served, no new training round until resumed")
    @ApiResponse(responseCode = "200", description = "The task's next version",
            content = @Content(schema = @Schema(implementation = TaskView.class)))
    @ApiResponse(responseCode = "404", description = "No such task",
            content = @Content(schema = @Schema(implementation = ErrorView.class)))
    @ApiResponse(responseCode = "409", description = "Already paused, or retired",
            content = @Content(schema = @Schema(implementation = ErrorView.class)))
    HttpResponse<?> pause(@PathVariable String task,
                          @Parameter(description = BY) @QueryValue(defaultValue = "admin") String by,
                          @Nullable @Header("Authorization") String authorization) {
        return answer(authorization, () -> HttpResponse.ok(TaskView.of(catalogue.pause(task, by))));
    }

    @Post("/{task}/resume")
    @Operation(summary = "Resume a paused task")
    @ApiResponse(responseCode = "200", description = "The task's next version",
            content = @Content(schema = @Schema(implementation = TaskView.class)))
    @ApiResponse(responseCode = "404", description = "No such task",
            content = @Content(schema = @Schema(implementation = ErrorView.class)))
    @ApiResponse(responseCode = "409", description = "Not paused, or retired",
            content = @Content(schema = @Schema(implementation = ErrorView.class)))
    HttpResponse<?> resume(@PathVariable String task,
                           @Parameter(description = BY) @QueryValue(defaultValue = "admin") String by,
                           @Nullable @Header("Authorization") String authorization) {
        return answer(authorization, () -> HttpResponse.ok(TaskView.of(catalogue.resume(task, by))));
    }

    @Post("/{task}/retire")
    @Operation(summary = "Retire a task for good: its examples are dead-lettered, nothing is trained, serving "
            + "answers 410; the name stays taken")
    @ApiResponse(responseCode = "200", description = "The task's last version",
            content = @Content(schema = @Schema(implementation = TaskView.class)))
    @ApiResponse(responseCode = "404", description = "No such task",
            content = @Content(schema = @Schema(implementation = ErrorView.class)))
    @ApiResponse(responseCode = "409", description = "Already retired",
            content = @Content(schema = @Schema(implementation = ErrorView.class)))
    HttpResponse<?> retire(@PathVariable String task,
                           @Parameter(description = BY) @QueryValue(defaultValue = "admin") String by,
                           @Nullable @Header("Authorization") String authorization) {
        return answer(authorization, () -> HttpResponse.ok(TaskView.of(catalogue.retire(task, by))));
    }

    /** The body of {@code POST /tasks/{task}/labels}. */
    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = false)
    record LabelsToAdd(@Nullable List<String> labels) {
    }

    /** Checks the token, then the evaluator's readiness, then runs the call and maps its refusal. */
    private HttpResponse<?> answer(String authorization, Supplier<HttpResponse<?>> call) {
        var refusal = token.refusal(authorization);
        if (refusal.isPresent()) {
            return refusal.get();
        }
        if (!catalogue.ready()) {
            return ErrorView.response(HttpStatus.SERVICE_UNAVAILABLE,
                    "The evaluator is still replaying its topics; try again");
        }
        try {
            return call.get();
        } catch (TaskChangeRefused refused) {
            return ErrorView.response(HttpStatus.valueOf(refused.reason().httpStatus()), refused.getMessage());
        } catch (MalformedBody malformed) {
            return ErrorView.response(HttpStatus.BAD_REQUEST, malformed.getMessage());
        } catch (TaskCatalogueWriter.CatalogueUnavailableException unavailable) {
            return ErrorView.response(HttpStatus.SERVICE_UNAVAILABLE, unavailable.getMessage());
        }
    }

    /** Reads a JSON body after the token check, so an anonymous caller learns nothing from parse errors. */
    private <T> T read(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            throw new MalformedBody("a JSON body is required");
        }
        try {
            T value = json.readValue(body, Argument.of(type));
            if (value == null) {
                throw new MalformedBody("a JSON object is required");
            }
            return value;
        } catch (IOException | RuntimeException e) {
            if (e instanceof MalformedBody) {
                throw (MalformedBody) e;
            }
            throw new MalformedBody("malformed JSON body: " + e.getMessage());
        }
    }

    private static final class MalformedBody extends RuntimeException {
        MalformedBody(String message) {
            super(message);
        }
    }
}
