package dev.streamtune.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * Where Kafka is and who this client is there: the one client configuration every service, the launcher and the
 * benches build their producers, consumers, admin clients and Kafka Streams from ({@link #clientProperties()}).
 * Services bind it from the {@code kafka.*} keys of their {@code application.yml}; the launcher reads it from the
 * environment variables named here.
 *
 * @param bootstrapServers host:port list of the cluster
 * @param securityProtocol {@code PLAINTEXT} (no authentication), {@code SASL_PLAINTEXT} or {@code SASL_SSL}
 *                         (SASL; SSL trusts the JVM's default trust store)
 * @param saslMechanism    {@code SCRAM-SHA-256}, {@code SCRAM-SHA-512} or {@code PLAIN}; ignored without SASL
 * @param saslUsername     the principal this client authenticates as (SASL only)
 * @param saslPassword     its password (SASL only)
 */
public record KafkaConnection(String bootstrapServers, String securityProtocol, String saslMechanism,
                              String saslUsername, String saslPassword) {

    public static final String BOOTSTRAP_SERVERS_ENV = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String SECURITY_PROTOCOL_ENV = "KAFKA_SECURITY_PROTOCOL";
    public static final String SASL_MECHANISM_ENV = "KAFKA_SASL_MECHANISM";
    public static final String SASL_USERNAME_ENV = "KAFKA_SASL_USERNAME";
    public static final String SASL_PASSWORD_ENV = "KAFKA_SASL_PASSWORD";

    public static final String PLAINTEXT = "PLAINTEXT";
    public static final String SASL_PLAINTEXT = "SASL_PLAINTEXT";
    public static final String SCRAM_SHA_256 = "SCRAM-SHA-256";

    private static final List<String> PROTOCOLS = List.of(PLAINTEXT, SASL_PLAINTEXT, "SASL_SSL");
    private static final Map<String, String> LOGIN_MODULES = Map.of(
            SCRAM_SHA_256, "org.apache.kafka.common.security.scram.ScramLoginModule",
            "SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule",
            "PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule");

    public KafkaConnection {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("Kafka bootstrap servers are not set (" + BOOTSTRAP_SERVERS_ENV + ")");
        }
        bootstrapServers = bootstrapServers.strip();
        securityProtocol = blankTo(securityProtocol, PLAINTEXT).toUpperCase(Locale.ROOT);
        saslMechanism = blankTo(saslMechanism, SCRAM_SHA_256).toUpperCase(Locale.ROOT);
        saslUsername = blankTo(saslUsername, "");
        saslPassword = blankTo(saslPassword, "");
        if (!PROTOCOLS.contains(securityProtocol)) {
            throw new IllegalArgumentException("Kafka security protocol '" + securityProtocol + "' ("
                    + SECURITY_PROTOCOL_ENV + ") is not one of " + PROTOCOLS);
        }
        if (usesSasl(securityProtocol)) {
            if (!LOGIN_MODULES.containsKey(saslMechanism)) {
                throw new IllegalArgumentException("Kafka SASL mechanism '" + saslMechanism + "' ("
                        + SASL_MECHANISM_ENV + ") is not one of " + LOGIN_MODULES.keySet());
            }
            if (saslUsername.isEmpty() || saslPassword.isEmpty()) {
                throw new IllegalArgumentException("Kafka security protocol " + securityProtocol + " needs a user "
                        + "name and password (" + SASL_USERNAME_ENV + ", " + SASL_PASSWORD_ENV + ")");
            }
        }
    }

    /** A cluster without authentication (the tests' brokers, the default local broker). */
    public static KafkaConnection plaintext(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, PLAINTEXT, null, null, null);
    }

    /** SASL/SCRAM-SHA-256 without TLS, as the local broker offers it when auth is on. */
    public static KafkaConnection scram(String bootstrapServers, String username, String password) {
        return new KafkaConnection(bootstrapServers, SASL_PLAINTEXT, SCRAM_SHA_256, username, password);
    }

    /** From the environment variables named above; {@code KAFKA_BOOTSTRAP_SERVERS} must be set. */
    public static KafkaConnection fromEnvironment(Map<String, String> env) {
        return new KafkaConnection(env.get(BOOTSTRAP_SERVERS_ENV), env.get(SECURITY_PROTOCOL_ENV),
                env.get(SASL_MECHANISM_ENV), env.get(SASL_USERNAME_ENV), env.get(SASL_PASSWORD_ENV));
    }

    /** The same cluster and security settings as another principal. */
    public KafkaConnection as(String username, String password) {
        return new KafkaConnection(bootstrapServers, securityProtocol, saslMechanism, username, password);
    }

    public boolean authenticates() {
        return usesSasl(securityProtocol);
    }

    /** Bootstrap and security settings, for any Kafka client (producer, consumer, admin, Kafka Streams). */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, securityProtocol);
        if (authenticates()) {
            props.put(SaslConfigs.SASL_MECHANISM, saslMechanism);
            props.put(SaslConfigs.SASL_JAAS_CONFIG, LOGIN_MODULES.get(saslMechanism) + " required username=\""
                    + jaasQuoted(saslUsername) + "\" password=\"" + jaasQuoted(saslPassword) + "\";");
        }
        return props;
    }

    /** This configuration as the environment variables a service started by the launcher reads. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(BOOTSTRAP_SERVERS_ENV, bootstrapServers);
        env.put(SECURITY_PROTOCOL_ENV, securityProtocol);
        if (authenticates()) {
            env.put(SASL_MECHANISM_ENV, saslMechanism);
            env.put(SASL_USERNAME_ENV, saslUsername);
            env.put(SASL_PASSWORD_ENV, saslPassword);
        }
        return env;
    }

    /** Never prints the password (this record ends up in log lines and exception messages). */
    @Override
    public String toString() {
        return bootstrapServers + (authenticates() ? " (" + securityProtocol + " " + saslMechanism + " as "
                + saslUsername + ")" : " (" + securityProtocol + ")");
    }

    private static boolean usesSasl(String protocol) {
        return protocol.startsWith("SASL_");
    }

    private static String blankTo(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    /** JAAS options are double-quoted strings in which a backslash escapes the next character. */
    private static String jaasQuoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
