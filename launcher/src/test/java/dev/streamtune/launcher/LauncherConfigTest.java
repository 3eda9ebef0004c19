package dev.streamtune.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class LauncherConfigTest {

    @Test
    void defaultsStartALocalBrokerUnderDataDir() {
        LauncherConfig config = LauncherConfig.fromEnvironment(Map.of("KAFKA_BOOTSTRAP_SERVERS", "  "));
        assertEquals(Optional.empty(), config.kafkaBootstrapServers(), "blank means not configured");
        assertEquals(Path.of("data").toAbsolutePath(), config.home());
        assertEquals(9092, config.localKafkaPort());
        assertEquals("512m", config.localKafkaHeap());
        assertEquals(java.util.List.of("ingest", "trainer", "evaluator", "serving"), config.services());
        assertEquals(new LauncherConfig.Demo(15, 4500, 4), config.demo());
        assertEquals("127.0.0.1", config.servicesHost());
        assertEquals("http://127.0.0.1:8083", config.evaluatorUrl(), "serving reaches the evaluator started here");
        assertEquals(Optional.empty(), config.clientToken());
    }

    @Test
    void servicesAreReachedWhereTheyListenAndLoopbackForEveryInterface() {
        assertEquals("127.0.0.1", LauncherConfig.fromEnvironment(Map.of("STREAMTUNE_BIND_HOST", "0.0.0.0"))
                .servicesHost());
        assertEquals("127.0.0.1", LauncherConfig.fromEnvironment(Map.of("STREAMTUNE_BIND_HOST", "::"))
                .servicesHost());
        LauncherConfig lan = LauncherConfig.fromEnvironment(Map.of("STREAMTUNE_BIND_HOST", "192.168.7.2"));
        assertEquals("192.168.7.2", lan.servicesHost());
        assertEquals("http://192.168.7.2:8083", lan.evaluatorUrl());
        assertEquals("[fd00::2]", LauncherConfig.fromEnvironment(Map.of("STREAMTUNE_BIND_HOST", "fd00::2"))
                .servicesHost());
    }

    @Test
    void anEvaluatorUrlAndClientTokensFromTheEnvironmentAreUsedAndTheTokenIsNeverPrinted() {
        LauncherConfig config = LauncherConfig.fromEnvironment(Map.of("EVALUATOR_URL", "http://eval.internal:8083",
                "SERVING_API_TOKENS", " demo-secret , other-secret"));
        assertEquals("http://eval.internal:8083", config.evaluatorUrl());
        assertEquals(Optional.of("demo-secret"), config.clientToken());
        assertTrue(!config.toString().contains("secret"), config.toString());
    }

    @Test
    void environmentOverridesEverySetting() {
        LauncherConfig config = LauncherConfig.fromEnvironment(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
                "STREAMTUNE_HOME", "/srv/st", "STREAMTUNE_KAFKA_PORT", "19092", "STREAMTUNE_KAFKA_HEAP", "1g",
                "STREAMTUNE_SERVICES", " ingest, serving ,", "STREAMTUNE_DEMO_RATE", "40",
                "STREAMTUNE_DEMO_ERA_LENGTH", "600", "STREAMTUNE_DEMO_PREDICTIONS", "0.5"));
        assertEquals(Optional.of("kafka:9092"), config.kafkaBootstrapServers());
        assertEquals(Path.of("/srv/st"), config.home());
        assertEquals(19092, config.localKafkaPort());
        assertEquals("1g", config.localKafkaHeap());
        assertEquals(java.util.List.of("ingest", "serving"), config.services());
        assertEquals(new LauncherConfig.Demo(40, 600, 0.5), config.demo());
    }

    @Test
    void aBadPortIsNamedInTheError() {
        var error = assertThrows(IllegalArgumentException.class,
                () -> LauncherConfig.fromEnvironment(Map.of("STREAMTUNE_KAFKA_PORT", "ninety")));
        assertTrue(error.getMessage().contains("'ninety'"), error.getMessage());
    }

    @Test
    void aDemoRateMustBePositive() {
        var error = assertThrows(IllegalArgumentException.class,
                () -> LauncherConfig.fromEnvironment(Map.of("STREAMTUNE_DEMO_RATE", "0")));
        assertTrue(error.getMessage().contains("STREAMTUNE_DEMO_RATE"), error.getMessage());
    }
}
