package dev.streamtune.evaluator.deadletters;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The dead-letter reasons a replay can change: the verdict depends on the task catalogue or on ingest's rules, not
 * on the record alone, so after a label, a task or a text policy is added or changed the same bytes may pass.
 * The names are ingest's {@code ReasonCode} names (the {@code reasonCode} of a {@code RejectedRecord}).
 *
 * <p>Left out on purpose: {@code MALFORMED}, {@code MISSING_FIELD} and {@code INVALID_FIELD} (the bytes themselves
 * are wrong; replaying them gives the same verdict, the producer must send them again) and {@code TASK_RETIRED}
 * (a retired task never comes back).
 */
public enum ReplayableReason {
    /** The label was not in the task's label set: replay after it is added (by hand or by open labels). */
    UNKNOWN_LABEL,
    /** The task was not defined: replay after it is created. */
    UNKNOWN_TASK,
    /** The text was over max chars under a REJECT policy: replay after the policy truncates. */
    TEXT_TOO_LONG,
    /** The cleaned text was under min chars: replay after min chars is lowered. */
    TEXT_TOO_SHORT,
    /** Event time beyond the accepted skew: replay after ingest's limit is changed. */
    EVENT_TIME_IN_FUTURE,
    /** Event time older than the accepted age: replay after ingest's limit is changed. */
    EVENT_TIME_TOO_OLD,
    /** A step of ingest failed on the record (a bug): replay after the fix. */
    UNPROCESSABLE;

    /** The reason named {@code code} (case-insensitive), or empty when it is unknown or not replayable. */
    public static Optional<ReplayableReason> parse(String code) {
        if (code == null) {
            return Optional.empty();
        }
        String wanted = code.strip().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(r -> r.name().equals(wanted)).findFirst();
    }

    /** For a 400 answer: what may be asked for. */
    public static String choices() {
        return Arrays.toString(values());
    }
}
