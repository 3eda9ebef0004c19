package dev.streamtune.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /** Every service, in pipeline order; each runs as its own JVM. */
    static final List<ServiceProcess.Service> SERVICES = List.of(
            new ServiceProcess.Service("ingest", "ingest", "dev.streamtune.ingest.IngestApplication", 8081, "768m"),
            new ServiceProcess.Service("trainer", "trainer", "dev.streamtune.trainer.TrainerApplication", 8082, "3g"),
            new ServiceProcess.Service("evaluator", "evaluator", "dev.streamtune.evaluator.EvaluatorApplication", 8083,
                    "1536m"),
            new ServiceProcess.Service("serving", "serving", "dev.streamtune.serving.ServingApplication", 8080,
                    "1536m"));

    private Streamtune() {
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help")) {
            System.out.println("""
                    Usage: ./streamtune [--help]
                    Environment: KAFKA_BOOTSTRAP_SERVERS (default: start a local broker), STREAMTUNE_HOME (default ./data),
                                 STREAMTUNE_KAFKA_PORT (default 9092), STREAMTUNE_KAFKA_HEAP (default 512m),
                                 STREAMTUNE_SERVICES (default ingest,trainer,evaluator,serving)""");
            return;
        }
        LauncherConfig config = LauncherConfig.fromEnvironment(System.getenv());
        List<String> known = SERVICES.stream().map(ServiceProcess.Service::name).toList();
        List<String> unknown = config.services().stream().filter(name -> !known.contains(name)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("STREAMTUNE_SERVICES names unknown services " + unknown
                    + "; known: " + known);
        }
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
        List<ServiceProcess> running = new ArrayList<>();
        LocalKafkaBroker brokerToStop = localBroker;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Shutting down");
            // Services first, so they commit and leave their groups while the broker is still there.
            for (int i = running.size() - 1; i >= 0; i--) {
                running.get(i).close();
            }
            if (brokerToStop != null) {
                brokerToStop.close();
            }
            stopped.countDown();
        }, "streamtune-shutdown"));

        List<String> created = new TopicProvisioner(bootstrap).ensureAll();
        LOG.info("Topics ready ({} created now): {}", created.size(),
                Topics.ALL.stream().map(TopicSpec::name).toList());

        Path repo = Path.of("").toAbsolutePath();
        Map<String, String> environment = Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "STREAMTUNE_HOME", config.home().toString());
        for (ServiceProcess.Service service : SERVICES) {
            if (!config.services().contains(service.name())) {
                continue;
            }
            if (!service.isBuilt(repo)) {
                LOG.warn("Service {} is not built (no {}); skipping it", service.name(), service.classpathFile(repo));
                continue;
            }
            running.add(ServiceProcess.start(service, repo, environment));
        }
        LOG.info("Streamtune is up. Produce examples to '{}' at {}; Ctrl-C stops.",
                Topics.LABELLED_EXAMPLES.name(), bootstrap);
        stopped.await();
    }
}
