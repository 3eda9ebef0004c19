package dev.streamtune.ingest.config;

import java.time.Duration;
import java.util.Map;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.format.MapFormat;

/**
 * The {@code ingest.*} block of {@code application.yml}, every key overridable by an environment variable
 * ({@code ingest.defaults.dedupe-horizon} is {@code INGEST_DEFAULTS_DEDUPE_HORIZON}). Tasks are not configured here:
 * they come from the task catalogue (the {@code tasks} topic). The README's configuration table documents each key.
 *
 * @param maxTextChars longest raw text read at all, in characters, whatever a task's text policy says: the bound
 *                     that keeps a huge record from being parsed and cleaned (longer ones are TEXT_TOO_LONG)
 * @param streams      extra Kafka Streams / client properties passed through as they are, e.g.
 *                     {@code ingest.streams.producer.linger.ms}
 */
@ConfigurationProperties("ingest")
public record IngestConfig(
        @Bindable(defaultValue = "streamtune-ingest") String applicationId,
        @Bindable(defaultValue = "data/ingest-state") String stateDir,
        @Bindable(defaultValue = "1s") Duration commitInterval,
        @Bindable(defaultValue = "1") int streamThreads,
        @Bindable(defaultValue = "1") int replicationFactor,
        @Bindable(defaultValue = "1s") Duration windowCheckInterval,
        @Bindable(defaultValue = "10m") Duration dedupePurgeInterval,
        @Bindable(defaultValue = "900000") int deadLetterMaxBytes,
        @Bindable(defaultValue = "100000") int maxTextChars,
        @Nullable @MapFormat(transformation = MapFormat.MapTransformation.FLAT) Map<String, String> streams,
        TaskDefaults defaults) {

    /**
     * The rules every task shares that a task definition does not carry ({@code ingest.defaults.*}); a task's
     * labels, window, text and PII policies come from its definition in the catalogue.
     */
    @ConfigurationProperties("defaults")
    public record TaskDefaults(
            @Bindable(defaultValue = "5m") Duration maxFutureSkew,
            @Bindable(defaultValue = "365d") Duration maxEventAge,
            @Bindable(defaultValue = "7d") Duration dedupeHorizon,
            @Bindable(defaultValue = "0.70") double trainRatio,
            @Bindable(defaultValue = "0.15") double validationRatio,
            @Bindable(defaultValue = "4") int feedbackConfirmMinRating,
            @Bindable(defaultValue = "0") int feedbackFlipMaxRating) {
    }
}
