package dev.streamtune.evaluator.deadletters;

import java.time.Duration;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Dead-letter replay and open-label tasks, bound from {@code evaluator.dead-letters} in {@code application.yml}
 * (where every default lives and is explained).
 */
@ConfigurationProperties("evaluator.dead-letters")
public record DeadLetterSettings(Duration verdictWait, Duration maxVerdictWait, OpenLabels openLabels) {

    /** The open-label monitor ({@code evaluator.dead-letters.open-labels}). */
    @ConfigurationProperties("open-labels")
    public record OpenLabels(boolean enabled, Duration replayDelay, int idsPerLabel, int labelsPerTask,
                             int maxFollowUpReplays) {
    }

    /** The wait a caller asked for, within {@code max-verdict-wait}; the default when it asked for none. */
    public Duration verdictWait(Duration asked) {
        Duration wait = asked == null ? verdictWait : asked;
        return wait.isNegative() ? Duration.ZERO : wait.compareTo(maxVerdictWait) > 0 ? maxVerdictWait : wait;
    }
}
