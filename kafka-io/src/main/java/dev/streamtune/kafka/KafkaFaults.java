package dev.streamtune.kafka;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Which failures a consumer loop survives. Everything that can clear on its own (an unreachable broker, a timeout,
 * a rebalance, a failed send, a full disk, a fenced producer) is transient and retried; only what no retry can fix
 * (credentials, permissions, configuration, a broker too old, a JVM error) is fatal.
 */
public final class KafkaFaults {

    private KafkaFaults() {
    }

    public static boolean isFatal(Throwable fault) {
        for (Throwable t = fault; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Error || t instanceof AuthenticationException || t instanceof AuthorizationException
                    || t instanceof ConfigException || t instanceof InvalidConfigurationException
                    || t instanceof UnsupportedVersionException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Another producer took over our transactional id (a restarted instance, or an outside client using it): this
     * producer can do nothing more, a new one must be created and initialised.
     */
    public static boolean isFenced(Throwable fault) {
        for (Throwable t = fault; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }
}
