package dev.streamtune.evaluator;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.PromotionDecision;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Manual overrides for operators: approve or reject a candidate, roll back or pin a task's deployment. Every call
 * needs {@code Authorization: Bearer <evaluator.admin-token>} (401 with a JSON error without it; 403 when no token
 * is configured); the commands run on the evaluator's own thread.
 */
@Controller("/admin/tasks/{task}")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class AdminController {

    private final EvaluatorService service;
    private final AdminToken token;

    AdminController(EvaluatorService service, AdminToken token) {
        this.service = service;
        this.token = token;
    }

    @Post("/candidates/{candidateId}/approve")
    public HttpResponse<?> approve(String task, String candidateId, @QueryValue(defaultValue = "admin") String by,
                                   @Nullable @Header("Authorization") String authorization) {
        return run(authorization, operator -> DecisionView.of(operator.approve(task, candidateId, by)));
    }

    @Post("/candidates/{candidateId}/reject")
    public HttpResponse<?> reject(String task, String candidateId, @QueryValue(defaultValue = "admin") String by,
                                  @Nullable @Header("Authorization") String authorization) {
        return run(authorization, operator -> DecisionView.of(operator.reject(task, candidateId, by)));
    }

    @Post("/rollback")
    public HttpResponse<?> rollback(String task, @QueryValue(defaultValue = "admin") String by,
                                    @Nullable @Header("Authorization") String authorization) {
        return run(authorization, operator -> DecisionView.of(operator.rollback(task, by)));
    }

    @Post("/pin")
    public HttpResponse<?> pin(String task, @Nullable @Header("Authorization") String authorization) {
        return run(authorization, operator -> DeploymentView.of(operator.pin(task, true)));
    }

    @Post("/unpin")
    public HttpResponse<?> unpin(String task, @Nullable @Header("Authorization") String authorization) {
        return run(authorization, operator -> DeploymentView.of(operator.pin(task, false)));
    }

    @Get("/deployment")
    public HttpResponse<?> deployment(String task, @Nullable @Header("Authorization") String authorization) {
        return run(authorization, operator -> operator.deployment(task).map(DeploymentView::of)
                .orElseThrow(() -> new IllegalArgumentException("Nothing is deployed for task " + task)));
    }

    private HttpResponse<?> run(String authorization, Function<EvaluatorService.Operator, Object> command) {
        var refusal = token.refusal(authorization);
        if (refusal.isPresent()) {
            return refusal.get();
        }
        if (!service.caughtUp()) {
            return ErrorView.response(HttpStatus.SERVICE_UNAVAILABLE,
                    "The evaluator is still replaying its topics; try again");
        }
        try {
            return HttpResponse.ok(service.submit(command).get(30, TimeUnit.SECONDS));
        } catch (java.util.concurrent.ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException) {
                return ErrorView.response(HttpStatus.NOT_FOUND, cause.getMessage());
            }
            if (cause instanceof IllegalStateException) {
                return ErrorView.response(HttpStatus.CONFLICT, cause.getMessage());
            }
            return ErrorView.response(HttpStatus.INTERNAL_SERVER_ERROR, String.valueOf(cause));
        } catch (TimeoutException e) {
            return ErrorView.response(HttpStatus.SERVICE_UNAVAILABLE, "The evaluator is busy; try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ErrorView.response(HttpStatus.SERVICE_UNAVAILABLE, "Interrupted");
        }
    }

    @Serdeable
    public record DecisionView(String decisionId, String task, String candidateId, String verdict, String decidedBy,
                               List<String> reasons) {
        static DecisionView of(PromotionDecision d) {
            return new DecisionView(d.getDecisionId(), d.getTask(), d.getCandidateId(), d.getVerdict().name(),
                    d.getDecidedBy(), d.getReasons());
        }
    }

    @Serdeable
    public record DeploymentView(String task, String adapterId, String previousAdapterId, String decisionId,
                                 boolean pinned, String deployedAt) {
        static DeploymentView of(Deployment d) {
            return new DeploymentView(d.getTask(), d.getAdapterId(), d.getPreviousAdapterId(), d.getDecisionId(),
                    d.getPinned(), d.getDeployedAt().toString());
        }
    }
}
