package dev.streamtune.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import dev.streamtune.contract.LocalSigningKeys;
import dev.streamtune.contract.RecordVerifier;
import dev.streamtune.contract.SignerRole;
import dev.streamtune.contract.TopicSpec;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.AccessControl;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TopicProvisioner;
import dev.streamtune.launcher.cli.AdminTokenFile;
import dev.streamtune.launcher.cli.TasksCommand;
import dev.streamtune.launcher.cli.WatchCommand;
import dev.streamtune.launcher.demo.DemoNarrator;
import dev.streamtune.launcher.demo.DemoTraffic;
import dev.streamtune.launcher.demo.DriftingReviews;
import dev.streamtune.localkafka.BrokerCredentials;
import dev.streamtune.localkafka.LocalKafkaBroker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run command. Uses the Kafka cluster named by KAFKA_BOOTSTRAP_SERVERS, or starts a local single-node broker
 * under STREAMTUNE_HOME when none is named; then provisions the topic catalogue, starts each service as its own JVM,
 * waits until they are healthy, and runs until interrupted, restarting a service that exits unexpectedly (see
 * {@link SupervisedService}). {@code --demo} adds generated traffic and narrates it.
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

    /** The local broker's generated passwords (STREAMTUNE_KAFKA_AUTH=scram), readable by their owner only. */
    static final String CREDENTIALS_FILE = "kafka-credentials.properties";

    private static final Duration READY_PATIENCE = Duration.ofMinutes(3);
    /** Where the local run keeps its signing keys, under STREAMTUNE_HOME. */
    static final String KEYS_DIRECTORY = "keys";
    private static final String USAGE = """
            Usage: ./streamtune [--demo] [--help]
              --demo   also stream generated, drifting labelled examples and simulated user feedback
            Also:  ./streamtune tasks ...            the task catalogue (./streamtune tasks --help)
                   ./streamtune watch <topic> [--from-beginning]   a topic's records as JSON lines
            Environment: KAFKA_BOOTSTRAP_SERVERS (default: start a local broker), STREAMTUNE_HOME (default ./data),
                         STREAMTUNE_KAFKA_PORT (default 9092), STREAMTUNE_KAFKA_HEAP (default 512m),
                         STREAMTUNE_SERVICES (default ingest,trainer,evaluator,serving),
                         STREAMTUNE_DEMO_RATE (examples/s, default 15), STREAMTUNE_DEMO_ERA_LENGTH (default 4500),
                         STREAMTUNE_DEMO_PREDICTIONS (predict calls/s, default 4),
                         STREAMTUNE_KAFKA_AUTH (scram: the local broker requires per-service SASL/SCRAM logins and
                         enforces ACLs; default off), KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM,
                         KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD (an external cluster's login),
                         STREAMTUNE_BIND_HOST (where the services listen, default 127.0.0.1),
                         SERVING_API_TOKENS (client tokens predict and feedback require, default none)""";

    private Streamtune() {
    }

    public static void main(String[] args) throws Exception {
        List<String> arguments = List.of(args);
        if (!arguments.isEmpty() && (arguments.get(0).equals("tasks") || arguments.get(0).equals("watch"))) {
            System.exit(command(arguments.get(0), arguments.subList(1, arguments.size())));
        }
        if (arguments.contains("--help")) {
            System.out.println(USAGE);
            return;
        }
        List<String> unknownArguments = arguments.stream().filter(a -> !a.equals("--demo")).toList();
        if (!unknownArguments.isEmpty()) {
            System.err.println("Unknown arguments " + unknownArguments + "\n" + USAGE);
            System.exit(2);
        }
        boolean demo = arguments.contains("--demo");
        LauncherConfig config = LauncherConfig.fromEnvironment(System.getenv());
        List<String> known = SERVICES.stream().map(ServiceProcess.Service::name).toList();
        List<String> unknown = config.services().stream().filter(name -> !known.contains(name)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("STREAMTUNE_SERVICES names unknown services " + unknown
                    + "; known: " + known);
        }
        if (demo && !config.services().containsAll(known)) {
            throw new IllegalArgumentException("--demo needs every service; STREAMTUNE_SERVICES names only "
                    + config.services());
        }
        long started = System.nanoTime();
        LocalKafkaBroker localBroker = null;
        String bootstrap;
        KafkaLogins logins;
        if (config.kafkaBootstrapServers().isPresent()) {
            if (config.localKafkaAuth()) {
                throw new IllegalArgumentException("STREAMTUNE_KAFKA_AUTH secures the local broker only; for the "
                        + "cluster in KAFKA_BOOTSTRAP_SERVERS set KAFKA_SECURITY_PROTOCOL and KAFKA_SASL_*");
            }
            logins = KafkaLogins.everyoneAs(KafkaConnection.fromEnvironment(System.getenv()));
            bootstrap = logins.provisioner().bootstrapServers();
            LOG.info("Using Kafka at {}", logins.provisioner());
        } else {
            LOG.info("KAFKA_BOOTSTRAP_SERVERS not set: starting a local Kafka broker (data in {}{})",
                    config.home().resolve("kafka"), config.localKafkaAuth() ? ", SASL/SCRAM and ACLs on" : "");
            BrokerCredentials credentials = config.localKafkaAuth() ? BrokerCredentials.loadOrCreate(
                    config.home().resolve(CREDENTIALS_FILE), AccessControl.SUPER_USER, AccessControl.userNames())
                    : null;
            localBroker = LocalKafkaBroker.start(config.home().resolve("kafka"), config.localKafkaPort(),
                    config.localKafkaHeap(), credentials);
            bootstrap = localBroker.bootstrapServers();
            logins = credentials == null ? KafkaLogins.everyoneAs(KafkaConnection.plaintext(bootstrap))
                    : KafkaLogins.startSecuredLocal(localBroker, credentials);
            LOG.info("Local Kafka broker ready at {} (log: {}{})", bootstrap, localBroker.logFile(),
                    credentials == null ? "" : "; passwords in " + config.home().resolve(CREDENTIALS_FILE));
        }

        CountDownLatch stopped = new CountDownLatch(1);
        // Closed in reverse: the demo's traffic first, then the services (so they commit and leave their groups
        // while the broker is still there), the broker last.
        List<AutoCloseable> running = new CopyOnWriteArrayList<>(); // the shutdown hook reads it from its own thread
        LocalKafkaBroker brokerToStop = localBroker;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Shutting down");
            // First, before Ctrl-C's signal stops the services: their exits are expected now, not restarted.
            running.stream().filter(SupervisedService.class::isInstance).map(SupervisedService.class::cast)
                    .forEach(SupervisedService::stopRestarting);
            for (int i = running.size() - 1; i >= 0; i--) {
                try {
                    running.get(i).close();
                } catch (Exception e) {
                    LOG.warn("While stopping: {}", e.toString());
                }
            }
            if (brokerToStop != null) {
                brokerToStop.close();
            }
            stopped.countDown();
        }, "streamtune-shutdown"));

        List<String> created = new TopicProvisioner(logins.provisioner()).ensureAll();
        LOG.info("Topics ready ({} created now): {}", created.size(),
                Topics.ALL.stream().map(TopicSpec::name).toList());

        Path repo = Path.of("").toAbsolutePath();
        // Control records are signed: the trainer and the evaluator each get their own private key, every service
        // the trusted public keys. Made at first start, kept afterwards.
        LocalSigningKeys keys = LocalSigningKeys.ensure(config.home().resolve(KEYS_DIRECTORY));
        LOG.info("Signing keys in {}", keys.directory());
        // The evaluator's admin token: EVALUATOR_ADMIN_TOKEN, else one made once under keys/ (./streamtune tasks
        // reads it there), so the task catalogue's API works with no setup.
        String adminToken = AdminTokenFile.ensure(keys.directory(), System.getenv());
        List<SupervisedService> services = new ArrayList<>();
        for (ServiceProcess.Service service : SERVICES) {
            if (!config.services().contains(service.name())) {
                continue;
            }
            if (!service.isBuilt(repo)) {
                LOG.warn("Service {} is not built (no {}); skipping it", service.name(), service.classpathFile(repo));
                continue;
            }
            // The services inherit this process's environment (STREAMTUNE_BIND_HOST, tokens); these come on top.
            // Each logs in as its own principal (on an open broker: everyone alike) and gets its signing key; serving
            // forwards operator commands to the evaluator started here unless EVALUATOR_URL names another.
            Map<String, String> environment = new HashMap<>(logins.principal(service.name()).environment());
            environment.put("STREAMTUNE_HOME", config.home().toString());
            environment.put("EVALUATOR_URL", config.evaluatorUrl());
            environment.putAll(keys.environment(signingRole(service)));
            if (service.name().equals("evaluator") || service.name().equals("serving")) {
                environment.put(AdminTokenFile.VARIABLE, adminToken); // serving forwards operator commands with it
            }
            if (demo && service.name().equals("evaluator")) {
                DEMO_ROLLOUT.forEach((variable, value) -> {
                    if (System.getenv(variable) == null) {
                        environment.put(variable, value);
                    }
                });
            }
            SupervisedService process = SupervisedService.start(service, repo, environment, config.servicesHost());
            services.add(process);
            running.add(process);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (SupervisedService service : services) {
            if (!service.awaitHealthy(http, READY_PATIENCE)) {
                LOG.error("{} did not become healthy within {} s (see its log lines above; {}/health says why)",
                        service.service().name(), READY_PATIENCE.toSeconds(), service.url());
            }
        }
        String serving = service("serving").url(config.servicesHost());
        LOG.info("""

                Streamtune is up ({} s). Ctrl-C stops everything.
                  serving     {}   POST /v1/tasks/{task}/predict, GET /v1/tasks/{task}/model, POST /v1/feedback
                  dashboard   {}/dashboard
                  API (yaml)  {}/swagger/streamtune-serving.yml
                  metrics     /prometheus and /health on every service: {}
                  Kafka       {}: produce examples to '{}', feedback to '{}'
                  data        {}""",
                (System.nanoTime() - started) / 1_000_000_000, serving, serving, serving,
                SERVICES.stream().map(s -> s.url(config.servicesHost())).toList(), bootstrap + (config.localKafkaAuth()
                        && localBroker != null ? " (SASL/SCRAM-SHA-256 as user '" + AccessControl.PRODUCER.name()
                        + "', password in " + config.home().resolve(CREDENTIALS_FILE) + ")" : ""),
                Topics.LABELLED_EXAMPLES.name(), Topics.FEEDBACK_EVENTS.name(), config.home());
        if (demo) {
            running.addAll(startDemo(config, logins, serving, keys));
        }
        stopped.await();
    }

    /**
     * The demo's rollouts (unless the environment sets them): every approval goes through a canary on 25% then 50%
     * of the users, each step judged on their corrections. A run shows canaries advancing, and candidates that the
     * gate approved on their window's test split rolled back when the users have moved on to the next era.
     */
    private static final Map<String, String> DEMO_ROLLOUT = Map.of(
            "EVALUATOR_ROLLOUT_FIRST_SHARE", "0.25",
            "EVALUATOR_ROLLOUT_STEP_FACTOR", "2",
            "EVALUATOR_ROLLOUT_MIN_SERVED", "20",
            "EVALUATOR_ROLLOUT_MIN_STEP_DURATION", "10s",
            "EVALUATOR_ROLLOUT_MAX_ERROR_INCREASE", "0.2");

    private static List<AutoCloseable> startDemo(LauncherConfig config, KafkaLogins logins, String servingUrl,
                                                 LocalSigningKeys keys) {
        LauncherConfig.Demo settings = config.demo();
        URI serving = URI.create(servingUrl);
        // The annotators are an outside producer; the narrator reads every topic, as the provisioner may.
        DemoTraffic traffic = new DemoTraffic(new DriftingReviews(42, settings.eraLength()),
                logins.principal(AccessControl.PRODUCER.name()), serving, config.clientToken(),
                settings.examplesPerSecond(), settings.predictionsPerSecond());
        DemoNarrator narrator = new DemoNarrator(logins.provisioner(), serving, traffic,
                new RecordVerifier(keys.trusted(), RecordVerifier.Rejections.NONE));
        LOG.info("""
                Demo: {} labelled '{}' examples per second whose vocabulary drifts every {} examples, and users \
                calling predict {} times per second and correcting wrong answers. Watch for lines from 'demo': \
                windows closing, candidates trained, gate verdicts, canaries advancing or rolled back, hot swaps; \
                and the dashboard.""",
                settings.examplesPerSecond(), DriftingReviews.TASK, settings.eraLength(),
                settings.predictionsPerSecond());
        narrator.start();
        traffic.start();
        return List.of(narrator, traffic);
    }

    /** {@code ./streamtune tasks ...} and {@code ./streamtune watch ...}: commands for a running Streamtune. */
    private static int command(String name, List<String> args) {
        // Their output is the point: only errors of the clients below may interleave with it.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.ERROR);
        LauncherConfig config = LauncherConfig.fromEnvironment(System.getenv());
        if (args.contains("--help")) {
            System.out.println(name.equals("tasks") ? TasksCommand.USAGE : WatchCommand.USAGE);
            return 0;
        }
        if (name.equals("tasks")) {
            return TasksCommand.run(args, System.getenv(), config.evaluatorUrl(),
                    config.home().resolve(KEYS_DIRECTORY), System.out, System.err);
        }
        WatchCommand.Watch watch;
        try {
            watch = WatchCommand.parse(args);
        } catch (TasksCommand.UsageException e) {
            System.err.println("error: " + e.getMessage() + "\n" + WatchCommand.USAGE);
            return 2;
        }
        WatchCommand.run(watch, watchLogin(config), System.out);
        return 0;
    }

    /**
     * Who {@code watch} reads as: the cluster of KAFKA_BOOTSTRAP_SERVERS with the KAFKA_* login, else the local
     * broker, as the demo's narrator does (the super user when STREAMTUNE_KAFKA_AUTH=scram secures it).
     */
    private static KafkaConnection watchLogin(LauncherConfig config) {
        if (config.kafkaBootstrapServers().isPresent()) {
            return KafkaConnection.fromEnvironment(System.getenv());
        }
        String bootstrap = "127.0.0.1:" + config.localKafkaPort();
        if (!config.localKafkaAuth()) {
            return KafkaConnection.plaintext(bootstrap);
        }
        try {
            BrokerCredentials credentials = BrokerCredentials.loadOrCreate(config.home().resolve(CREDENTIALS_FILE),
                    AccessControl.SUPER_USER, AccessControl.userNames());
            return KafkaLogins.securedLocal(bootstrap, credentials).provisioner();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The role a service signs its records as, or null for the services that only verify. */
    public static SignerRole signingRole(ServiceProcess.Service service) {
        return switch (service.name()) {
            case "trainer" -> SignerRole.TRAINER;
            case "evaluator" -> SignerRole.EVALUATOR;
            default -> null;
        };
    }

    /** The service of that name, as the run command starts it (module, main class, port, heap). */
    public static ServiceProcess.Service service(String name) {
        return SERVICES.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + name));
    }
}
