package dev.streamtune.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class KafkaConnectionTest {

    @Test
    void plaintextSetsOnlyBootstrapAndProtocol() {
        assertEquals(Map.of("bootstrap.servers", "kafka:9092", "security.protocol", "PLAINTEXT"),
                KafkaConnection.plaintext(" kafka:9092 ").clientProperties());
    }

    @Test
    void scramGivesTheClientItsMechanismAndLogin() {
        Map<String, Object> props = KafkaConnection.scram("kafka:9092", "evaluator", "s3cret").clientProperties();
        assertEquals("SASL_PLAINTEXT", props.get("security.protocol"));
        assertEquals("SCRAM-SHA-256", props.get("sasl.mechanism"));
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"evaluator\" "
                + "password=\"s3cret\";", props.get("sasl.jaas.config"));
    }

    @Test
    void quotesAndBackslashesInAPasswordAreEscapedForJaas() {
        Object jaas = KafkaConnection.scram("k:1", "u", "a\"b\\c").clientProperties().get("sasl.jaas.config");
        assertTrue(jaas.toString().contains("password=\"a\\\"b\\\\c\";"), jaas.toString());
    }

    @Test
    void blankSettingsMeanPlaintextAndScramSha256() {
        KafkaConnection connection = new KafkaConnection("k:1", " ", "", null, null);
        assertEquals("PLAINTEXT", connection.securityProtocol());
        assertEquals("SCRAM-SHA-256", connection.saslMechanism());
        assertFalse(connection.authenticates());
    }

    @Test
    void saslWithoutCredentialsIsRefusedNamingTheVariables() {
        var error = assertThrows(IllegalArgumentException.class,
                () -> new KafkaConnection("k:1", "sasl_plaintext", null, "ingest", ""));
        assertTrue(error.getMessage().contains("KAFKA_SASL_PASSWORD"), error.getMessage());
    }

    @Test
    void unknownProtocolsAndMechanismsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new KafkaConnection("k:1", "SSL", null, null, null));
        assertThrows(IllegalArgumentException.class,
                () -> new KafkaConnection("k:1", "SASL_PLAINTEXT", "GSSAPI", "u", "p"));
    }

    @Test
    void missingBootstrapServersAreRefused() {
        var error = assertThrows(IllegalArgumentException.class, () -> KafkaConnection.fromEnvironment(Map.of()));
        assertTrue(error.getMessage().contains("KAFKA_BOOTSTRAP_SERVERS"), error.getMessage());
    }

    @Test
    void environmentRoundTrips() {
        KafkaConnection connection = KafkaConnection.scram("kafka:9092", "serving", "pw");
        assertEquals(connection, KafkaConnection.fromEnvironment(connection.environment()));
        assertEquals(Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:1", "KAFKA_SECURITY_PROTOCOL", "PLAINTEXT"),
                KafkaConnection.plaintext("k:1").environment());
    }

    @Test
    void thePasswordNeverAppearsInToString() {
        String shown = KafkaConnection.scram("kafka:9092", "serving", "pw-visible?").toString();
        assertFalse(shown.contains("pw-visible?"), shown);
        assertTrue(shown.contains("serving"), shown);
    }

    @Test
    void asSwitchesOnlyThePrincipal() {
        KafkaConnection admin = KafkaConnection.scram("kafka:9092", "admin", "a");
        assertEquals(KafkaConnection.scram("kafka:9092", "producer", "p"), admin.as("producer", "p"));
    }
}
