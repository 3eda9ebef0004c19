package dev.streamtune.contract;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Why a record went to the dead-letter topic: the {@code reasonCode} of a {@code RejectedRecord}. Ingest writes these
 * codes; the evaluator's dead-letter replay reads them back, so they are declared once, here.
 *
 * <p>A code is <em>replayable</em> when its verdict depends on the task catalogue or on ingest's rules rather than on
 * the record alone: after a label, a task or a text policy is added or changed, the same bytes may pass. The others
 * are wrong in themselves (the producer must send them again) or final (a retired task never comes back).
 */
public enum ReasonCode {
    /** Neither Avro single-object encoding of the topic's schema nor a JSON object; or empty. */
    MALFORMED(false),
    /** A required field (task, text, label) is absent or blank. */
    MISSING_FIELD(false),
    /** A field has the wrong type or an impossible value (weight, rating, eventTime, attributes). */
    INVALID_FIELD(false),
    /** The cleaned text is shorter than the task's min-chars, or nothing is left of it: replay after it is lowered. */
    TEXT_TOO_SHORT(true),
    /**
     * The cleaned text is longer than the task's max-chars and its text policy is REJECT; or the raw text is longer
     * than ingest reads at all (ingest.max-text-chars), whatever the policy. Replay after the policy truncates.
     */
    TEXT_TOO_LONG(true),
    /** The task is not defined in the task catalogue: replay after it is created. */
    UNKNOWN_TASK(true),
    /** The task is retired in the catalogue: it takes no new examples, and never will again. */
    TASK_RETIRED(false),
    /** The label (or feedback correction) is not in the task's label set: replay after it is added. */
    UNKNOWN_LABEL(true),
    /** The event time lies after the record's Kafka timestamp by more than max-future-skew. */
    EVENT_TIME_IN_FUTURE(true),
    /** The event time lies before the record's Kafka timestamp by more than max-event-age. */
    EVENT_TIME_TOO_OLD(true),
    /**
     * No rule rejected the record, yet a step failed on it (a bug, or input no rule foresaw): caught at the record
     * boundary so the stream goes on; the reason names the step and the error. Replay after the fix.
     */
    UNPROCESSABLE(true);

    private final boolean replayable;

    ReasonCode(boolean replayable) {
        this.replayable = replayable;
    }

    /** Whether replaying a dead letter with this code can end differently (see the class comment). */
    public boolean replayable() {
        return replayable;
    }

    /** The replayable code named {@code code} (case-insensitive), or empty when it is unknown or not replayable. */
    public static Optional<ReasonCode> parseReplayable(String code) {
        if (code == null) {
            return Optional.empty();
        }
        String wanted = code.strip().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(r -> r.replayable && r.name().equals(wanted)).findFirst();
    }

    /** For a 400 answer: the codes a replay may ask for. */
    public static String replayableChoices() {
        return Arrays.stream(values()).filter(ReasonCode::replayable).map(Enum::name)
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
