package dev.streamtune.model;

import java.io.IOException;

/** An adapter file that cannot be used: see {@link CorruptAdapterException} and {@link BaseModelMismatchException}. */
public class AdapterLoadException extends IOException {

    public AdapterLoadException(String message) {
        super(message);
    }

    public AdapterLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
