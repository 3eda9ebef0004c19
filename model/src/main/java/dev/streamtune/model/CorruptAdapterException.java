package dev.streamtune.model;

/** The file is not an intact Streamtune adapter: truncated, altered, or not an adapter at all. */
public class CorruptAdapterException extends AdapterLoadException {

    public CorruptAdapterException(String message) {
        super(message);
    }

    public CorruptAdapterException(String message, Throwable cause) {
        super(message, cause);
    }
}
