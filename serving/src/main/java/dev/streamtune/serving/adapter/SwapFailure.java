package dev.streamtune.serving.adapter;

import java.time.Instant;

import dev.streamtune.model.BaseModelMismatchException;
import dev.streamtune.model.CorruptAdapterException;

/**
 * A deployment that could not be served; the previous adapter kept answering.
 *
 * @param kind    CORRUPT (bytes or checksum wrong), WRONG_BASE (trained on other base weights), UNREADABLE
 *                (missing file, unsupported location) or ERROR (anything else, e.g. it failed its warm-up)
 * @param message the loader's explanation
 */
public record SwapFailure(String task, String adapterId, String kind, String message, Instant at) {

    static SwapFailure of(String task, String adapterId, Exception cause, Instant at) {
        String kind = cause instanceof CorruptAdapterException ? "CORRUPT"
                : cause instanceof BaseModelMismatchException ? "WRONG_BASE"
                : cause instanceof java.io.IOException ? "UNREADABLE"
                : "ERROR";
        return new SwapFailure(task, adapterId, kind, String.valueOf(cause.getMessage()), at);
    }
}
