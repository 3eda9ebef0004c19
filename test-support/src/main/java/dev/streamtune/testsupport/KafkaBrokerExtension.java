package dev.streamtune.testsupport;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one broker per test JVM, lazily, and closes it when the JVM's tests end. Testcontainers is used where
 * Docker runs; otherwise, or when {@code -Dstreamtune.test.broker=in-jvm}, a KRaft cluster inside the JVM.
 */
public final class KafkaBrokerExtension implements ParameterResolver {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokerExtension.class);
    private static final String MODE_PROPERTY = "streamtune.test.broker";

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
        return store.getOrComputeIfAbsent(KafkaBroker.class, key -> new SharedBroker(start()), SharedBroker.class)
                .broker();
    }

    private static KafkaBroker start() {
        String mode = System.getProperty(MODE_PROPERTY, "auto");
        long started = System.nanoTime();
        try {
            KafkaBroker broker = switch (mode) {
                case "container" -> ContainerKafkaBroker.start();
                case "in-jvm" -> InJvmKafkaBroker.start();
                case "auto" -> ContainerKafkaBroker.dockerAvailable()
                        ? ContainerKafkaBroker.start() : InJvmKafkaBroker.start();
                default -> throw new IllegalArgumentException(
                        MODE_PROPERTY + " must be auto, container or in-jvm, not " + mode);
            };
            LOG.info("Kafka test broker ({}) ready at {} in {} ms", broker.kind(), broker.bootstrapServers(),
                    (System.nanoTime() - started) / 1_000_000);
            return broker;
        } catch (Exception e) {
            throw new ParameterResolutionException("Cannot start a Kafka broker for tests: " + e, e);
        }
    }

    /** Closed by JUnit when the root context ends, i.e. after the JVM's last test. */
    private record SharedBroker(KafkaBroker broker) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws Exception {
            ((AutoCloseable) broker).close();
        }
    }
}
