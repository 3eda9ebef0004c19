package dev.streamtune.serving.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import dev.streamtune.serving.RequestRejectedException;
import dev.streamtune.serving.RequestRejectedException.Reason;
import dev.streamtune.serving.adapter.AdapterRegistry;
import dev.streamtune.serving.adapter.DecisionBook;
import dev.streamtune.serving.dashboard.DashboardHistory;
import dev.streamtune.serving.dashboard.TaskDashboard;
import dev.streamtune.serving.predict.RequestLimits;
import dev.streamtune.serving.tasks.ServedTasks;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Produces;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The drift dashboard: a self-contained page (no CDN) and the per-task JSON it draws. */
@Controller
@Tag(name = "dashboard")
final class DashboardController {

    private final DashboardHistory history;
    private final DecisionBook decisions;
    private final AdapterRegistry registry;
    private final String page;

    private final ServedTasks tasks;

    DashboardController(DashboardHistory history, DecisionBook decisions, AdapterRegistry registry,
                        ServedTasks tasks) {
        this.tasks = tasks;
        this.history = history;
        this.decisions = decisions;
        this.registry = registry;
        try (InputStream in = DashboardController.class.getResourceAsStream("/dashboard/index.html")) {
            if (in == null) {
                throw new IllegalStateException("dashboard/index.html is missing from the classpath");
            }
            this.page = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Get("/dashboard")
    @Produces(MediaType.TEXT_HTML)
    @Hidden
    String page() {
        return page;
    }

    @Get("/v1/tasks/{task}/dashboard")
    @Operation(summary = "The task's drift, label, prediction, feedback-accuracy and deployment series")
    TaskDashboard dashboard(@PathVariable String task) {
        RequestLimits.task(task);
        if (!history.knows(task) && !registry.tasks().contains(task) && tasks.catalogue().find(task).isEmpty()) {
            throw new RequestRejectedException(Reason.NOT_FOUND, "Nothing is known about task '" + task + "'");
        }
        return history.snapshot(task, decisions::byId);
    }
}
