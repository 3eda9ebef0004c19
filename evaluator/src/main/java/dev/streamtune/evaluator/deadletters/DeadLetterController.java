package dev.streamtune.evaluator.deadletters;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import org.apache.kafka.common.KafkaException;

import dev.streamtune.contract.ReasonCode;

/**
 * A task's dead letters, for operators: what is waiting (by reason and label) and the replay action. Behind the
 * evaluator's admin bearer token ({@link AdminAuthorization}); errors are JSON {@code {"error": ...}}: 400 for a
 * reason that is not a replayable reason code, 404 for a task the catalogue does not define, 503 while the
 * evaluator is still reading its topics or when the broker refused the replay (nothing of it was written; retry).
 */
@Controller("/tasks/{task}/dead-letters")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(beans = AdminAuthorization.class)
public final class DeadLetterController {

    private final AdminAuthorization authorization;
    private final DeadLetterReplayer replayer;
    private final OpenLabelMonitor monitor;
    private final DeadLetterSettings settings;

    DeadLetterController(AdminAuthorization authorization, DeadLetterReplayer replayer, OpenLabelMonitor monitor,
                         DeadLetterSettings settings) {
        this.authorization = authorization;
        this.replayer = replayer;
        this.monitor = monitor;
        this.settings = settings;
    }

    /** The task's dead letters: counts by reason code and by label, and its open labels. */
    @Serdeable
    public record DeadLettersView(String task, long total, Map<String, Long> byReason,
                                  Map<String, Long> byLabel, OpenLabelMonitor.OpenLabelView openLabels) {
    }

    @Serdeable
    public record ErrorView(String error) {
    }

    @Get
    public HttpResponse<?> deadLetters(String task, @Nullable @Header("Authorization") String authorizationHeader) {
        Optional<MutableHttpResponse<ErrorView>> refused = refuse(authorizationHeader, task);
        if (refused.isPresent()) {
            return refused.get();
        }
        DeadLetterCounts.TaskCounts counts = monitor.counts(task);
        return HttpResponse.ok(new DeadLettersView(task, counts.total(), counts.byReason(), counts.byLabel(),
                monitor.openLabels(task)));
    }

    /**
     * Replays the task's dead letters with {@code reason} that no replay has sent yet, and waits up to
     * {@code wait} seconds (default {@code evaluator.dead-letters.verdict-wait}) for ingest's verdicts.
     */
    @Post("/replay")
    public HttpResponse<?> replay(String task, @Nullable @QueryValue String reason, @Nullable @QueryValue Integer wait,
                                  @Nullable @Header("Authorization") String authorizationHeader) {
        Optional<MutableHttpResponse<ErrorView>> refused = refuse(authorizationHeader, task);
        if (refused.isPresent()) {
            return refused.get();
        }
        Optional<ReasonCode> parsed = ReasonCode.parseReplayable(reason);
        if (parsed.isEmpty()) {
            return error(HttpStatus.BAD_REQUEST, (reason == null ? "reason is required" : "reason '" + reason
                    + "' is not a replayable reason code") + "; one of " + ReasonCode.replayableChoices());
        }
        if (wait != null && wait < 0) {
            return error(HttpStatus.BAD_REQUEST, "wait must be 0 or more seconds");
        }
        try {
            return HttpResponse.ok(replayer.replay(task, parsed.get(),
                    settings.verdictWait(wait == null ? null : Duration.ofSeconds(wait))));
        } catch (KafkaException e) {
            return error(HttpStatus.SERVICE_UNAVAILABLE, "The broker refused the replay (nothing of it was "
                    + "written; try again): " + e.getMessage());
        }
    }

    /** Authentication, then the evaluator's readiness, then the task. */
    private Optional<MutableHttpResponse<ErrorView>> refuse(String authorizationHeader, String task) {
        Optional<AdminAuthorization.Refusal> refusal = authorization.refuse(authorizationHeader);
        if (refusal.isPresent()) {
            MutableHttpResponse<ErrorView> response = error(HttpStatus.valueOf(refusal.get().status()),
                    refusal.get().message());
            if (refusal.get().status() == HttpStatus.UNAUTHORIZED.getCode()) {
                response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"streamtune-evaluator\"");
            }
            return Optional.of(response);
        }
        if (!monitor.caughtUp()) {
            return Optional.of(error(HttpStatus.SERVICE_UNAVAILABLE,
                    "The evaluator is still reading the task catalogue and dead letters; try again"));
        }
        if (monitor.definition(task).isEmpty()) {
            return Optional.of(error(HttpStatus.NOT_FOUND, "Unknown task " + task));
        }
        return Optional.empty();
    }

    private static MutableHttpResponse<ErrorView> error(HttpStatus status, String message) {
        return HttpResponse.<ErrorView>status(status).body(new ErrorView(message));
    }
}
