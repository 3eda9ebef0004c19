package dev.streamtune.service;

import dev.streamtune.kafka.KafkaConnection;
import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * The {@code kafka.*} block of each service's {@code application.yml}: the cluster and this service's principal
 * there, the same keys in every service (env {@code KAFKA_BOOTSTRAP_SERVERS}, {@code KAFKA_SECURITY_PROTOCOL},
 * {@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_USERNAME}, {@code KAFKA_SASL_PASSWORD}); {@link KafkaConnection}
 * checks and applies them to every client.
 */
@ConfigurationProperties("kafka")
public record KafkaConfig(String bootstrapServers, String securityProtocol, String saslMechanism,
                          String saslUsername, String saslPassword) {

    public KafkaConnection connection() {
        return new KafkaConnection(bootstrapServers, securityProtocol, saslMechanism, saslUsername, saslPassword);
    }

    /** Without the password. */
    @Override
    public String toString() {
        return connection().toString();
    }
}
