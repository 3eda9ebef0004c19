package dev.streamtune.ingest.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.format.MapFormat;

/**
 * The {@code ingest.*} block of {@code application.yml}, every key overridable by an environment variable
 * ({@code ingest.defaults.max-chars} is {@code INGEST_DEFAULTS_MAX_CHARS}). Tasks are bound separately, one
 * {@link TaskConfig} per {@code ingest.tasks.<name>}. The README's configuration table documents each key.
 *
 * @param streams extra Kafka Streams / client properties passed through as they are, e.g.
 *                {@code ingest.streams.producer.linger.ms}
 */
@ConfigurationProperties("ingest")
public record IngestConfig(
        @Bindable(defaultValue = "streamtune-ingest") String applicationId,
        @Bindable(defaultValue = "data/ingest-state") String stateDir,
        @Bindable(defaultValue = "1s") Duration commitInterval,
        @Bindable(defaultValue = "1") int streamThreads,
        @Bindable(defaultValue = "1") int replicationFactor,
        @Bindable(defaultValue = "false") boolean acceptUnknownTasks,
        @Bindable(defaultValue = "1s") Duration windowCheckInterval,
        @Bindable(defaultValue = "10m") Duration dedupePurgeInterval,
        @Bindable(defaultValue = "900000") int deadLetterMaxBytes,
        @Nullable @MapFormat(transformation = MapFormat.MapTransformation.FLAT) Map<String, String> streams,
        TaskDefaults defaults) {

    /** Rules for every task that does not override them ({@code ingest.defaults.*}). */
    @ConfigurationProperties("defaults")
    public record TaskDefaults(
            @Bindable(defaultValue = "3") int minChars,
            @Bindable(defaultValue = "2000") int maxChars,
            @Bindable(defaultValue = "email,phone,card-number,ip-address") List<String> pii,
            @Bindable(defaultValue = "5m") Duration maxFutureSkew,
            @Bindable(defaultValue = "365d") Duration maxEventAge,
            @Bindable(defaultValue = "7d") Duration dedupeHorizon,
            @Bindable(defaultValue = "0.70") double trainRatio,
            @Bindable(defaultValue = "0.15") double validationRatio,
            @Bindable(defaultValue = "500") int windowMaxCount,
            @Bindable(defaultValue = "60s") Duration windowMaxAge,
            @Bindable(defaultValue = "4") int feedbackConfirmMinRating,
            @Bindable(defaultValue = "0") int feedbackFlipMaxRating) {
    }
}
