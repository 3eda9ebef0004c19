package dev.streamtune.ingest;

/** Why a record went to the dead-letter topic; the {@code reasonCode} of a {@code RejectedRecord}. */
public enum ReasonCode {
    /** Neither Avro single-object encoding of the topic's schema nor a JSON object; or empty. */
    MALFORMED,
    /** A required field (task, text, label) is absent or blank. */
    MISSING_FIELD,
    /** A field has the wrong type or an impossible value (weight, rating, eventTime, attributes). */
    INVALID_FIELD,
    /** The cleaned text is shorter than the task's min-chars. */
    TEXT_TOO_SHORT,
    /** The text is longer than the task's max-chars. */
    TEXT_TOO_LONG,
    /** The task is not configured and unknown tasks are not accepted. */
    UNKNOWN_TASK,
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
