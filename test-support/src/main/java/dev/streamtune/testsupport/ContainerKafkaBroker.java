package dev.streamtune.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.streamtune.localkafka.SingleNodeBroker;
import org.apache.kafka.common.utils.AppInfoParser;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/** The Apache Kafka image matching our client version, through Testcontainers, for machines that run Docker. */
final class ContainerKafkaBroker implements KafkaBroker, AutoCloseable {

    private final KafkaContainer container;

    private ContainerKafkaBroker(KafkaContainer container) {
        this.container = container;
    }

    /** Cheap check first: asking Testcontainers probes several strategies and logs loudly when none works. */
    static boolean dockerAvailable() {
        boolean hint = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"));
        try {
            return hint && DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @SuppressWarnings("resource") // closed by close()
    static ContainerKafkaBroker start() {
        KafkaContainer container = new KafkaContainer("apache/kafka:" + AppInfoParser.getVersion());
        SingleNodeBroker.SETTINGS.forEach((key, value) ->
                container.withEnv("KAFKA_" + key.toUpperCase().replace('.', '_'), value));
        container.start();
        return new ContainerKafkaBroker(container);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public String kind() {
        return "Testcontainers";
    }

    @Override
    public void close() {
        container.close();
    }
}
