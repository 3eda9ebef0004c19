package dev.streamtune.serving;

/**
 * A request the serving tier will not carry out, with the reason the caller is told. The core classes throw it;
 * the HTTP edge turns {@link Reason} into a status code and the message into the JSON error body.
 */
public final class RequestRejectedException extends RuntimeException {

    /** Why a request is refused; each maps to one HTTP status. */
    public enum Reason {
        MALFORMED(400),
        UNAUTHORIZED(401),
        FORBIDDEN(403),
        NOT_FOUND(404),
        /** The task was retired in the catalogue: it will not be answered again. */
        GONE(410),
        TOO_LARGE(413),
        INVALID(422),
        /** The model failed on this request (e.g. a non-finite score): nothing the caller can fix. */
        MODEL_ERROR(500),
        /** Something the request needs downstream (the evaluator) failed. */
        BAD_GATEWAY(502),
        /** Too much queued, or still starting: try again. */
        OVERLOADED(503),
        /** Kafka did not take the record in time. */
        UNAVAILABLE(503);

        private final int httpStatus;

        Reason(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Reason reason;

    public RequestRejectedException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
