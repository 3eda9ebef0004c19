package dev.streamtune.ingest.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import java.util.Properties;

import dev.streamtune.kafka.AccessControl;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.service.KafkaConfig;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

class KafkaConfigTest {

    @Test
    void theDefaultIsAnOpenLocalBroker() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("ingest.enabled", "false"))) {
            KafkaConnection connection = context.getBean(KafkaConfig.class).connection();
            assertEquals(KafkaConnection.plaintext("127.0.0.1:9092"), connection);
        }
    }

    @Test
    void aSaslLoginReachesTheKafkaStreamsProperties() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("ingest.enabled", "false",
                "kafka.bootstrap-servers", "kafka:9092", "kafka.security-protocol", "SASL_PLAINTEXT",
                "kafka.sasl-username", "ingest", "kafka.sasl-password", "pw"))) {
            KafkaConfig kafka = context.getBean(KafkaConfig.class);
            Properties props = StreamsProperties.from(context.getBean(IngestConfig.class), kafka.connection());
            assertEquals("SASL_PLAINTEXT", props.get("security.protocol"));
            assertEquals("SCRAM-SHA-256", props.get("sasl.mechanism"));
            assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"ingest\" "
                    + "password=\"pw\";", props.get("sasl.jaas.config"));
            assertFalse(kafka.toString().contains("pw"), kafka.toString());
        }
    }

    @Test
    void theDefaultApplicationIdIsTheOneTheAclsGrant() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("ingest.enabled", "false"))) {
            assertEquals(AccessControl.INGEST_APPLICATION_ID, context.getBean(IngestConfig.class).applicationId());
        }
    }
}
