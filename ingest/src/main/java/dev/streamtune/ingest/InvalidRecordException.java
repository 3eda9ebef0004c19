package dev.streamtune.ingest;

import dev.streamtune.contract.ReasonCode;

/**
 * A record breaks a rule: it goes to the dead-letter topic with this code and message, and with the task and label
 * when they could be read. Thrown by the pure rule classes and caught by their processor; no stack trace, because
 * rejecting is an expected, per-record outcome.
 */
public final class InvalidRecordException extends RuntimeException {

    private final ReasonCode code;
    private final String task;
    private final String label;

    public InvalidRecordException(ReasonCode code, String message) {
        this(code, message, null, null);
    }

    private InvalidRecordException(ReasonCode code, String message, String task, String label) {
        super(message, null, false, false);
        this.code = code;
        this.task = task;
        this.label = label;
    }

    /** The same rejection naming the record's task and label (null: not readable); ones already named are kept. */
    public InvalidRecordException about(String recordTask, String recordLabel) {
        return new InvalidRecordException(code, getMessage(), task != null ? task : recordTask,
                label != null ? label : recordLabel);
    }

    public ReasonCode code() {
        return code;
    }

    public String task() {
        return task;
    }

    public String label() {
        return label;
    }
}
