package dev.streamtune.ingest.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import dev.streamtune.ingest.clean.PiiKind;
import dev.streamtune.kafka.KafkaConnection;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.BeanInstantiationException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class IngestSettingsFactoryTest {

    @Test
    void applicationYmlDefinesTheDemoTasksOverTheDefaults() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("ingest.enabled", "false"))) {
            IngestSettings settings = context.getBean(IngestSettings.class);
            assertEquals(Set.of("sentiment", "topic"), settings.tasks().keySet());
            TaskRules sentiment = settings.rulesFor("sentiment").orElseThrow();
            assertEquals(List.of("negative", "positive"), sentiment.labels());
            assertEquals(500, sentiment.windowMaxCount());
            assertEquals(Duration.ofSeconds(60), sentiment.windowMaxAge());
            assertEquals(Duration.ofDays(7), sentiment.dedupeHorizon());
            assertEquals(Set.of(PiiKind.values()), sentiment.pii());
            assertEquals(0.70, sentiment.trainRatio(), 1e-9);
            assertEquals(4, sentiment.confirmMinRating());
            TaskRules topic = settings.rulesFor("topic").orElseThrow();
            assertEquals(List.of("world", "sports", "business", "sci-tech"), topic.labels());
            assertEquals(1000, topic.windowMaxCount());
            assertFalse(settings.acceptUnknownTasks());
            assertTrue(settings.rulesFor("elsewhere").isEmpty());
        }
    }

    @Test
    void tasksAndDefaultsAreOverriddenPerKey() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "ingest.enabled", "false",
                "ingest.defaults.max-chars", "300",
                "ingest.accept-unknown-tasks", "true",
                "ingest.tasks.intent.labels", "book, cancel ,ask",
                "ingest.tasks.intent.pii", "none",
                "ingest.tasks.intent.window-max-age", "5m",
                "ingest.tasks.intent.feedback-flip-max-rating", "2"))) {
            IngestSettings settings = context.getBean(IngestSettings.class);
            TaskRules intent = settings.rulesFor("intent").orElseThrow();
            assertEquals(List.of("book", "cancel", "ask"), intent.labels());
            assertEquals(Set.of(), intent.pii());
            assertEquals(300, intent.maxChars());
            assertEquals(Duration.ofMinutes(5), intent.windowMaxAge());
            assertEquals(2, intent.flipMaxRating());
            assertEquals(300, settings.rulesFor("sentiment").orElseThrow().maxChars());
            TaskRules unknown = settings.rulesFor("anything").orElseThrow();
            assertTrue(unknown.acceptsAnyLabel());
            assertEquals("anything", unknown.task());
        }
    }

    @Test
    void aTaskWithoutLabelsIsAConfigurationError() {
        var error = assertThrows(BeanInstantiationException.class, () -> {
            try (ApplicationContext context = ApplicationContext.run(Map.of("ingest.enabled", "false",
                    "ingest.tasks.broken.window-max-count", "10"))) {
                context.getBean(IngestSettings.class);
            }
        });
        assertTrue(rootMessage(error).contains("ingest.tasks.broken: labels must list"), rootMessage(error));
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
