package dev.streamtune.ingest.config;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** Resolves the bound configuration into {@link IngestSettings}. */
@Factory
public class IngestSettingsFactory {

    @Singleton
    IngestSettings ingestSettings(IngestConfig config) {
        return resolve(config);
    }

    public static IngestSettings resolve(IngestConfig config) {
        IngestConfig.TaskDefaults d = config.defaults();
        try {
            return new IngestSettings(new IngestSettings.Defaults(d.maxFutureSkew(), d.maxEventAge(),
                    d.dedupeHorizon(), d.trainRatio(), d.validationRatio(), d.feedbackConfirmMinRating(),
                    d.feedbackFlipMaxRating()), config.windowCheckInterval(), config.dedupePurgeInterval(),
                    config.deadLetterMaxBytes(), config.maxTextChars());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ingest: " + e.getMessage(), e);
        }
    }
}
