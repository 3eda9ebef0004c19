package dev.streamtune.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

class ServiceConfigTest {

    private static final ServiceConfig SAMPLE = ServiceConfig.parse("sample", """
            micronaut:
              server:
                port: ${SAMPLE_PORT:9123}
            micronaut.metrics:
              enabled: true
            sample:
              bootstrap-servers: ${KAFKA_BOOTSTRAP_SERVERS:127.0.0.1:9092}
              hyperparameters:
                batch-size: 16
              labels:
                sentiment: [negative, positive]
              evaluator-url: ${serving.other-url}
            """, "sample.yml");

    /** The Dockerfile sets this one variable to 0.0.0.0 (DockerfileCheck); it must be what every service reads. */
    @Test
    void everyServiceListensOnLoopbackUnlessTheBindHostVariableSaysOtherwise() {
        RepositoryFiles.REPOSITORY.serviceConfigs().forEach((service, config) -> {
            String host = config.host().orElseThrow(() -> new AssertionError(service + " sets no micronaut.server.host"));
            assertEquals(Set.of(ServiceConfig.BIND_HOST_VARIABLE), Placeholders.environmentNames(host), service);
            assertEquals("127.0.0.1", Placeholders.withDefaults(host), service);
        });
    }

    @Test
    void portIsTheDefaultOfItsPlaceholder() {
        assertEquals(9123, SAMPLE.port());
    }

    @Test
    void readsPlaceholdersAndVariablesThatMapOntoItsKeys() {
        assertTrue(SAMPLE.reads("SAMPLE_PORT"));
        assertTrue(SAMPLE.reads("KAFKA_BOOTSTRAP_SERVERS"));
        assertTrue(SAMPLE.reads("SAMPLE_HYPERPARAMETERS_BATCH_SIZE"), "sample.hyperparameters.batch-size");
        assertTrue(SAMPLE.reads("SAMPLE_LABELS_SENTIMENT"), "a list-valued key");
        assertTrue(SAMPLE.reads("MICRONAUT_METRICS_ENABLED"), "a top-level key written with a dot");
        assertFalse(SAMPLE.reads("SAMPLE_BATCH_SIZE"), "no such key");
        assertFalse(SAMPLE.reads("SAMPLE_HYPERPARAMETERS"), "a section, not a key");
        assertEquals(Set.of("SAMPLE_PORT", "KAFKA_BOOTSTRAP_SERVERS"), SAMPLE.placeholders(),
                "property references like ${serving.other-url} are not environment variables");
    }

    @Test
    void aPortWithoutNumericDefaultIsAnError() {
        ServiceConfig config = ServiceConfig.parse("x", "micronaut:\n  server:\n    port: ${X_PORT}\n", "x.yml");
        IllegalStateException error = assertThrows(IllegalStateException.class, config::port);
        assertTrue(error.getMessage().contains("x.yml"), error.getMessage());
    }

    @Test
    void micronautSpellingsOfAnEnvironmentVariable() {
        assertEquals(Set.of("a.b.c", "a-b.c", "a.b-c", "a-b-c"), MicronautEnvironment.propertyNames("A_B_C"));
        assertEquals(Set.of("trainer"), MicronautEnvironment.propertyNames("TRAINER"));
    }

    @Test
    void placeholderDefaultsMayContainColons() {
        assertEquals("127.0.0.1:9092", Placeholders.withDefaults("${KAFKA_BOOTSTRAP_SERVERS:127.0.0.1:9092}"));
        assertEquals("data/ingest-state", Placeholders.withDefaults("${STREAMTUNE_HOME:data}/ingest-state"));
        assertEquals("", Placeholders.withDefaults("${EVALUATOR_ADMIN_TOKEN:}"));
    }

    @Test
    void theServicesConfigurationAsTheDeploymentFilesUseIt() {
        var configs = RepositoryFiles.configs();
        assertEquals(Repository.SERVICES, configs.keySet().stream().toList());
        assertTrue(configs.get("trainer").reads("TRAINER_GROUP_ID"), "trainer.group-id: ${TRAINER_GROUP_ID:...}");
        assertTrue(configs.get("ingest").reads("INGEST_STATE_DIR"), "ingest.state-dir");
        assertTrue(configs.get("serving").reads("EVALUATOR_URL"));
        // The trainer writes adapters under STREAMTUNE_HOME; the evaluator and serving open them only from its store.
        assertTrue(configs.get("trainer").reads("STREAMTUNE_HOME"));
        assertTrue(configs.get("evaluator").reads("STREAMTUNE_HOME"));
        assertTrue(configs.get("serving").reads("STREAMTUNE_HOME"));
        assertFalse(configs.get("evaluator").reads("TRAINER_GROUP_ID"));
        // Every service follows the signed task catalogue (ingest too), so each reads the trusted keys.
        Repository.SERVICES.forEach(service -> assertTrue(configs.get(service).reads("STREAMTUNE_TRUSTED_KEYS"),
                service));
    }
}
