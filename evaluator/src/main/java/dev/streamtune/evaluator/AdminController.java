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
 * Manual overrides for operators: approve or reject a candidate, roll back or pin a task's deployment (a pin also
 * pauses a running rollout), promote a rollout's candidate at once. Every call
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

    /** Ends the task's rollout with its candidate answering everything (409 when none runs). */
    @Post("/rollout/promote")
    public HttpResponse<?> promote(String task, @QueryValue(defaultValue = "admin") String by,
                                   @Nullable @Header("Authorization") String authorization) {
        return run(authorization, operator -> DecisionView.of(operator.promote(task, by)));
    }

    /** The task's running rollout: stage, share, live evidence of both models in this step, latest judgement. */
    @Get("/rollout")
    public HttpResponse<?> rollout(String task, @Nullable @Header("Authorization") String authorization) {
        return run(authorization, operator -> operator.rollout(task).map(RolloutView::of)
                .orElseThrow(() -> new IllegalArgumentException("Task " + task + " has no rollout running")));
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
    public record ArmView(long served, long corrected, long confirmed, double correctedShare, double p99Millis) {
        static ArmView of(dev.streamtune.evaluator.rollout.LiveEvidence.Arm a) {
            return new ArmView(a.served(), a.wrong(), a.right(), a.wrongShare(),
                    a.latency().quantileMicros(0.99) / 1000.0);
        }
    }

    @Serdeable
    public record RolloutView(String task, String champion, String candidate, String stage, double share, int step,
                              int steps, String stepStartedAt, boolean paused, ArmView candidateAnswers,
                              ArmView championAnswers, long shadowPairs, double shadowDisagreement,
                              double shadowConfidenceShift, double shadowP99Millis, double championShadowP99Millis,
                              String lastJudgement, String lastReason) {
        static RolloutView of(EvaluatorService.RolloutStatus s) {
            var trial = s.deployment().getTrial();
            return new RolloutView(s.deployment().getTask(), s.deployment().getAdapterId(), trial.getCandidateId(),
                    trial.getStage().name(), trial.getShare(), trial.getStep(), trial.getSteps(),
                    trial.getStepStartedAt().toString(), s.deployment().getPinned(), ArmView.of(s.candidate()),
                    ArmView.of(s.champion()), s.shadow().pairs(), s.shadow().disagreement(),
                    s.shadow().meanConfidenceShift(), s.shadow().candidate().quantileMicros(0.99) / 1000.0,
                    s.shadow().champion().quantileMicros(0.99) / 1000.0,
                    s.lastCall() == null ? null : s.lastCall().action().name(),
                    s.lastCall() == null ? null : s.lastCall().reason());
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
