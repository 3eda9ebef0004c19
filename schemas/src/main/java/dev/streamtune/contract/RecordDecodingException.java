package dev.streamtune.contract;

/** A payload could not be read as the expected record; the message says why, for dead-letter records and logs. */
public class RecordDecodingException extends RuntimeException {
    public RecordDecodingException(String message) {
        super(message);
    }

    public RecordDecodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
