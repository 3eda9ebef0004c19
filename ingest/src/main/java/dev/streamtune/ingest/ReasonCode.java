package dev.streamtune.ingest;

/** Why a record went to the dead-letter topic; the {@code reasonCode} of a {@code RejectedRecord}. */
public enum ReasonCode {
    /** Neither Avro single-object encoding of the topic's schema nor a JSON object; or empty. */
    MALFORMED,
    /** A required field (task, text, label) is absent or blank. */
    MISSING_FIELD,
    /** A field has the wrong type or an impossible value (weight, rating, eventTime, attributes). */
    INVALID_FIELD,
    /** The cleaned text is shorter than the task's min-chars, or nothing is left of it. */
    TEXT_TOO_SHORT,
    /**
     * The cleaned text is longer than the task's max-chars and its text policy is REJECT; or the raw text is longer
     * than ingest reads at all (ingest.max-text-chars), whatever the policy.
     */
    TEXT_TOO_LONG,
    /** The task is not defined in the task catalogue (once it is, its dead letters can be replayed). */
    UNKNOWN_TASK,
    /** The task is retired in the catalogue: it takes no new examples. */
    TASK_RETIRED,
    /** The label (or feedback correction) is not in the task's label set. */
    UNKNOWN_LABEL,
    /** The event time lies after the record's Kafka timestamp by more than max-future-skew. */
    EVENT_TIME_IN_FUTURE,
    /** The event time lies before the record's Kafka timestamp by more than max-event-age. */
    EVENT_TIME_TOO_OLD,
    /**
     * No rule rejected the record, yet a step failed on it (a bug, or input no rule foresaw): caught at the record
     * boundary so the stream goes on; the reason names the step and the error.
     */
    UNPROCESSABLE
}
