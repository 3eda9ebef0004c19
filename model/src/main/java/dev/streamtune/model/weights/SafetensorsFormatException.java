package dev.streamtune.model.weights;

import java.io.IOException;

/** A file that claims to be safetensors but is malformed: truncated, bad header, or inconsistent offsets. */
public class SafetensorsFormatException extends IOException {

    public SafetensorsFormatException(String message) {
        super(message);
    }
}
