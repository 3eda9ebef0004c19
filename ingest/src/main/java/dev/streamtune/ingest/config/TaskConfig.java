package dev.streamtune.ingest.config;

import java.time.Duration;
import java.util.List;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;

/**
 * One task under {@code ingest.tasks.<name>}: its label set and any rule that differs from {@code ingest.defaults}
 * (same key names). A null field means "use the default". {@code pii: none} masks nothing.
 */
@EachProperty("ingest.tasks")
public record TaskConfig(
        @Parameter String name,
        @Nullable List<String> labels,
        @Nullable Integer minChars,
        @Nullable Integer maxChars,
        @Nullable List<String> pii,
        @Nullable Duration maxFutureSkew,
        @Nullable Duration maxEventAge,
        @Nullable Duration dedupeHorizon,
        @Nullable Double trainRatio,
        @Nullable Double validationRatio,
        @Nullable Integer windowMaxCount,
        @Nullable Duration windowMaxAge,
        @Nullable Integer feedbackConfirmMinRating,
        @Nullable Integer feedbackFlipMaxRating) {
}
