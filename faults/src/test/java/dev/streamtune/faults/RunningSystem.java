package dev.streamtune.faults;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.streamtune.contract.LocalSigningKeys;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TopicProvisioner;
import dev.streamtune.launcher.ServiceProcess;
import dev.streamtune.launcher.Streamtune;
import dev.streamtune.localkafka.LocalKafkaBroker;

/**
 * The whole system as the run command starts it: the separate-process broker on a data directory, and each service
 * as its own JVM from its module's build output (module, main class and heap from {@link Streamtune#service}), on
 * free ports so that it can run beside anything else. Any piece can be killed with SIGKILL and started again on the
 * same state.
 */
final class RunningSystem implements AutoCloseable {

    /** The services, in pipeline order. */
    static final List<String> SERVICES = List.of("ingest", "trainer", "evaluator", "serving");

    private static final String BROKER_MAIN_CLASS = "kafka.Kafka";
    private static final String BROKER_HEAP = "512m";

    private final Path repo;
    private final Path home;
    private final int brokerPort;
    private final Map<String, String> settings;
    private final Map<String, ServiceProcess.Service> services = new LinkedHashMap<>();
    private final Map<String, ServiceProcess> running = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private LocalKafkaBroker broker;
    /** A test JVM stopped before close() (a CI timeout, Ctrl-C) must not leave the system running. */
    private final Thread killOnExit = new Thread(() -> ProcessHandle.current().children()
            .forEach(ProcessHandle::destroyForcibly), "running-system-kill-on-exit");

    /**
     * @param settings configuration keys (as in the services' application.yml) given to every service as -D flags;
     *                 each service binds only its own prefix
     */
    private RunningSystem(Path repo, Path home, int brokerPort, Map<String, String> settings) throws IOException {
        this.repo = repo;
        this.home = home;
        this.brokerPort = brokerPort;
        this.settings = settings;
        for (String name : SERVICES) {
            ServiceProcess.Service asShipped = Streamtune.service(name);
            services.put(name, new ServiceProcess.Service(name, asShipped.module(), asShipped.mainClass(), freePort(),
                    asShipped.heap()));
        }
    }

    /** Starts the broker, provisions the topics and starts every service (not waiting for their health). */
    static RunningSystem start(Path repo, Path home, Map<String, String> settings) throws IOException {
        RunningSystem system = new RunningSystem(repo, home, LocalKafkaBroker.freePortPair(), settings);
        Runtime.getRuntime().addShutdownHook(system.killOnExit);
        try {
            system.startBroker();
            new TopicProvisioner(KafkaConnection.plaintext(system.bootstrapServers())).ensureAll();
            for (String name : SERVICES) {
                system.startService(name);
            }
        } catch (IOException | RuntimeException e) {
            system.close();
            throw e;
        }
        return system;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    URI url(String service) {
        return URI.create("http://127.0.0.1:" + services.get(service).port());
    }

    Path logFile(String service) {
        return home.resolve(service + ".log");
    }

    Path home() {
        return home;
    }

    void startBroker() throws IOException {
        broker = LocalKafkaBroker.start(home.resolve("kafka"), brokerPort, BROKER_HEAP);
    }

    void startService(String name) throws IOException {
        Map<String, String> properties = new LinkedHashMap<>(settings);
        properties.put("micronaut.server.port", Integer.toString(services.get(name).port()));
        // Serving forwards operator commands to the evaluator, wherever this run put it.
        properties.put("serving.evaluator-url", url("evaluator").toString());
        // Control records are signed: each service gets its key and the trusted set, as the run command gives them.
        Map<String, String> environment = new LinkedHashMap<>(Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers(),
                "STREAMTUNE_HOME", home.toString()));
        environment.putAll(LocalSigningKeys.ensure(home.resolve("keys"))
                .environment(Streamtune.signingRole(services.get(name))));
        running.put(name, ServiceProcess.start(services.get(name), repo, environment, properties, logFile(name)));
    }

    /** SIGKILL to the service's JVM: no shutdown hook, no commit, no close. Returns when the process is gone. */
    void killService(String name) throws Exception {
        killChild(services.get(name).mainClass());
    }

    /** SIGKILL to the broker process. */
    void killBroker() throws Exception {
        killChild(BROKER_MAIN_CLASS);
    }

    boolean isAlive(String name) {
        ServiceProcess process = running.get(name);
        return process != null && process.isAlive();
    }

    /** Polls /health until it answers 200; fails when the process dies or the patience runs out. */
    void awaitHealthy(String name, Duration patience) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url(name).resolve("/health"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            if (!isAlive(name)) {
                throw new AssertionError(name + " exited; see " + logFile(name));
            }
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError(name + " not healthy within " + patience + "; see " + logFile(name));
    }

    /** The one child JVM whose command line runs that main class. */
    private static void killChild(String mainClass) throws Exception {
        List<ProcessHandle> matches = ProcessHandle.current().children()
                .filter(ProcessHandle::isAlive)
                .filter(p -> arguments(p).contains(mainClass))
                .toList();
        if (matches.size() != 1) {
            throw new IllegalStateException("expected one live child process running " + mainClass + ", found "
                    + matches.size());
        }
        ProcessHandle target = matches.get(0);
        target.destroyForcibly();
        target.onExit().get(30, TimeUnit.SECONDS);
    }

    /**
     * The process's arguments. ProcessHandle.Info cuts the command line at 4,096 bytes and then gives no arguments
     * at all, and a service's classpath is longer than that: read Linux's /proc directly where it exists.
     */
    private static List<String> arguments(ProcessHandle process) {
        Path cmdline = Path.of("/proc", Long.toString(process.pid()), "cmdline");
        try {
            return List.of(new String(Files.readAllBytes(cmdline), java.nio.charset.StandardCharsets.UTF_8)
                    .split("\0"));
        } catch (IOException notLinux) {
            return process.info().arguments().map(List::of).orElse(List.of());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Services first, so they leave their groups while the broker is still there. */
    @Override
    public void close() {
        List<String> names = List.copyOf(running.keySet());
        for (int i = names.size() - 1; i >= 0; i--) {
            running.get(names.get(i)).close();
        }
        if (broker != null) {
            broker.close();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException alreadyExiting) {
            // the hook is running or has run
        }
    }

    static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is no reason to fail a test
        }
    }
}
