package dev.streamtune.ingest;

/**
 * A record breaks a rule: it goes to the dead-letter topic with this code and message. Thrown by the pure rule
 * classes and caught by their processor; no stack trace, because rejecting is an expected, per-record outcome.
 */
public final class InvalidRecordException extends RuntimeException {

    private final ReasonCode code;

    public InvalidRecordException(ReasonCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ReasonCode code() {
        return code;
    }
}
