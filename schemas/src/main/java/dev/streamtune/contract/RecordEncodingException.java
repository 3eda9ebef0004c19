package dev.streamtune.contract;

/** A record could not be written, almost always because a required field is null. */
public class RecordEncodingException extends RuntimeException {
    public RecordEncodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
