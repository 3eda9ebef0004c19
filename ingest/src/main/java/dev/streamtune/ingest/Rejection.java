package dev.streamtune.ingest;

import dev.streamtune.contract.ReasonCode;

/**
 * A record on its way to the dead-letter topic.
 *
 * @param task  the record's task when it could be read that far, else null
 * @param label the record's label (or feedback's correction) when it could be read that far, else null: what
 *              open-label tasks count and dead-letter replay filters on
 */
public record Rejection(ReasonCode code, String reason, SourceRecord source, String task, String label) {

    /** A rejection of a record whose task and label could not be read. */
    public Rejection(ReasonCode code, String reason, SourceRecord source) {
        this(code, reason, source, null, null);
    }
}
