package dev.streamtune.launcher;

import java.util.List;
import java.util.concurrent.CountDownLatch;

import dev.streamtune.contract.TopicProvisioner;
import dev.streamtune.contract.TopicSpec;
import dev.streamtune.contract.Topics;
import dev.streamtune.localkafka.LocalKafkaBroker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run command. Uses the Kafka cluster named by KAFKA_BOOTSTRAP_SERVERS, or starts a local single-node broker
 * under STREAMTUNE_HOME when none is named; then provisions the topic catalogue and runs until interrupted.
 */
public final class Streamtune {

    private static final Logger LOG = LoggerFactory.getLogger(Streamtune.class);

    private Streamtune() {
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help")) {
            System.out.println("""
                    Usage: ./streamtune [--help]
                    Environment: KAFKA_BOOTSTRAP_SERVERS (default: start a local broker), STREAMTUNE_HOME (default ./data),
                                 STREAMTUNE_KAFKA_PORT (default 9092), STREAMTUNE_KAFKA_HEAP (default 512m)""");
            return;
        }
        LauncherConfig config = LauncherConfig.fromEnvironment(System.getenv());
        LocalKafkaBroker localBroker = null;
        String bootstrap;
        if (config.kafkaBootstrapServers().isPresent()) {
            bootstrap = config.kafkaBootstrapServers().get();
            LOG.info("Using Kafka at {}", bootstrap);
        } else {
            LOG.info("KAFKA_BOOTSTRAP_SERVERS not set: starting a local Kafka broker (data in {})",
                    config.home().resolve("kafka"));
            localBroker = LocalKafkaBroker.start(config.home().resolve("kafka"), config.localKafkaPort(),
                    config.localKafkaHeap());
            bootstrap = localBroker.bootstrapServers();
            LOG.info("Local Kafka broker ready at {} (log: {})", bootstrap, localBroker.logFile());
        }

        CountDownLatch stopped = new CountDownLatch(1);
        LocalKafkaBroker brokerToStop = localBroker;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Shutting down");
            if (brokerToStop != null) {
                brokerToStop.close();
            }
            stopped.countDown();
        }, "streamtune-shutdown"));

        List<String> created = new TopicProvisioner(bootstrap).ensureAll();
        LOG.info("Topics ready ({} created now): {}", created.size(),
                Topics.ALL.stream().map(TopicSpec::name).toList());
        LOG.info("Streamtune is up. Produce examples to '{}' at {}; Ctrl-C stops.",
                Topics.LABELLED_EXAMPLES.name(), bootstrap);
        stopped.await();
    }
}
