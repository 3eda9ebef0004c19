package dev.streamtune.serving.api;

import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/** The body of every 4xx/5xx answer. */
@Serdeable
@Schema(description = "An error: the HTTP status and what was wrong")
public record ApiError(int status, String error) {
}
