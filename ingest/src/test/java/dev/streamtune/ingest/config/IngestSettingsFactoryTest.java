package dev.streamtune.ingest.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import dev.streamtune.kafka.KafkaConnection;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.BeanInstantiationException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class IngestSettingsFactoryTest {

    @Test
    void applicationYmlHoldsThePipelineWideRulesAndTheyMatchTheBuiltInOnes() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("ingest.enabled", "false"))) {
            IngestSettings settings = context.getBean(IngestSettings.class);
            assertEquals(IngestSettings.builtIn(), settings);
            assertEquals(Duration.ofDays(7), settings.defaults().dedupeHorizon());
            assertEquals(0.70, settings.defaults().trainRatio(), 1e-9);
            assertEquals(4, settings.defaults().confirmMinRating());
            assertEquals(100_000, settings.maxTextChars());
        }
    }

    @Test
    void everyKeyIsOverriddenOnItsOwn() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "ingest.enabled", "false",
                "ingest.defaults.dedupe-horizon", "1h",
                "ingest.defaults.feedback-flip-max-rating", "2",
                "ingest.max-text-chars", "5000"))) {
            IngestSettings settings = context.getBean(IngestSettings.class);
            assertEquals(Duration.ofHours(1), settings.defaults().dedupeHorizon());
            assertEquals(2, settings.defaults().flipMaxRating());
            assertEquals(5000, settings.maxTextChars());
            assertEquals(Duration.ofMinutes(5), settings.defaults().maxFutureSkew());
        }
    }

    @Test
    void impossibleValuesAreAConfigurationErrorNamingTheBlock() {
        var error = assertThrows(BeanInstantiationException.class, () -> {
            try (ApplicationContext context = ApplicationContext.run(Map.of("ingest.enabled", "false",
                    "ingest.defaults.train-ratio", "0.9", "ingest.defaults.validation-ratio", "0.2"))) {
                context.getBean(IngestSettings.class);
            }
        });
        assertTrue(rootMessage(error).contains("ingest: split ratios"), rootMessage(error));
    }

    @Test
    void streamsPropertiesAskForExactlyOnceAndPassExtrasThrough() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("ingest.enabled", "false",
                "ingest.streams.producer.linger.ms", "20", "ingest.commit-interval", "250ms"))) {
            Properties props = StreamsProperties.from(context.getBean(IngestConfig.class),
                    KafkaConnection.plaintext("host:1234"));
            assertEquals(StreamsConfig.EXACTLY_ONCE_V2, props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
            assertEquals("host:1234", props.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
            assertEquals("250", props.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
            assertEquals("20", props.get("producer.linger.ms"));
            assertEquals("streamtune-ingest", props.get(StreamsConfig.APPLICATION_ID_CONFIG));
            assertTrue(props.get(StreamsConfig.STATE_DIR_CONFIG).toString().endsWith("ingest-state"));
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable cause = error;
        StringBuilder messages = new StringBuilder();
        while (cause != null) {
            messages.append(cause.getMessage()).append(" | ");
            cause = cause.getCause();
        }
        return messages.toString();
    }
}
