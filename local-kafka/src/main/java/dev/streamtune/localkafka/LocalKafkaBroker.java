package dev.streamtune.localkafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft broker in its own process, from the Kafka jars on this JVM's classpath, with its data kept
 * under one directory across restarts. Used by the run command when no external cluster is configured.
 *
 * <p>Open (PLAINTEXT, no authorizer) unless started with {@link BrokerCredentials}: then both listeners (clients
 * on the port, the controller on port + 1, both on loopback) require SASL, clients authenticate with
 * SCRAM-SHA-256, the super user also with PLAIN against the password in the broker's own (owner-only) config, and
 * the StandardAuthorizer denies everything no ACL allows. SCRAM users and ACLs are set afterwards through the
 * Admin API as the super user, so nothing secret is ever on a command line.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    /** The mechanism the super user logs in with: its password lives in the broker's config, not in metadata. */
    public static final String SUPER_USER_MECHANISM = "PLAIN";
    /** What clients other than the super user use; their credentials are stored in the cluster metadata. */
    public static final String CLIENT_MECHANISM = "SCRAM-SHA-256";
    public static final String SASL_PROTOCOL = "SASL_PLAINTEXT";
    private static final String AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

    private final Process process;
    private final String bootstrapServers;
    private final Path logFile;
    private final BrokerCredentials credentials;

    private LocalKafkaBroker(Process process, String bootstrapServers, Path logFile, BrokerCredentials credentials) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.logFile = logFile;
        this.credentials = credentials;
    }

    /** An open broker: PLAINTEXT, no authentication, no ACLs. */
    public static LocalKafkaBroker start(Path dataDir, int port, String heap) throws IOException {
        return start(dataDir, port, heap, null);
    }

    /**
     * Formats the data directory on first use, starts the broker and waits until it answers.
     *
     * @param dataDir where logs, metadata and the broker's own log file live
     * @param port    client port; the controller listens on port + 1
     * @param credentials null for an open broker; else SASL on every listener and ACLs enforced
     */
    public static LocalKafkaBroker start(Path dataDir, int port, String heap, BrokerCredentials credentials)
            throws IOException {
        Files.createDirectories(dataDir);
        refuseBusyPort(port);
        refuseBusyPort(port + 1);
        Path config = writeServerProperties(dataDir, port, credentials);
        Path logConfig = writeLogConfig(dataDir);
        Path logFile = dataDir.resolve("broker.log");

        if (!Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
            String clusterId = Uuid.randomUuid().toString();
            LOG.info("Formatting new Kafka storage in {} (cluster id {})", dataDir, clusterId);
            runToCompletion(javaCommand(heap, logConfig, "kafka.tools.StorageTool",
                    "format", "--standalone", "-t", clusterId, "-c", config.toString()), logFile);
        }

        Process process = new ProcessBuilder(javaCommand(heap, logConfig, "kafka.Kafka", config.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        LocalKafkaBroker broker = new LocalKafkaBroker(process, "127.0.0.1:" + port, logFile, credentials);
        try {
            broker.awaitReady();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Whether clients must authenticate (and ACLs apply). */
    public boolean secured() {
        return credentials != null;
    }

    /** Client settings (security protocol, mechanism, JAAS login) of the super user; empty for an open broker. */
    public Map<String, Object> superUserClientProperties() {
        if (credentials == null) {
            return Map.of();
        }
        return Map.of("security.protocol", SASL_PROTOCOL, "sasl.mechanism", SUPER_USER_MECHANISM,
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + credentials.superUser() + "\" password=\"" + credentials.superUserPassword() + "\";");
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Asks for a controlled shutdown (SIGTERM), and kills the broker only if it does not stop in time. */
    @Override
    public void close() {
        ChildProcesses.stop(process, STOP_TIMEOUT, "Kafka broker");
    }

    /** A free client port whose successor (the controller's) is free too, for brokers started beside others. */
    public static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (java.net.ServerSocket first = new java.net.ServerSocket(0)) {
                int port = first.getLocalPort();
                try (java.net.ServerSocket second = new java.net.ServerSocket(port + 1)) {
                    return port;
                } catch (IOException taken) {
                    // try another pair
                }
            }
        }
        throw new IOException("No free pair of adjacent ports");
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Map<String, Object> config = new HashMap<>(superUserClientProperties());
        config.putAll(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000));
        try (Admin admin = Admin.create(config)) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Kafka broker exited with code " + process.exitValue()
                            + "; first error in " + logFile + ":\n" + firstError(logFile)
                            + "\nlast lines:\n" + tail(logFile, 10));
                }
                try {
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    sleep(Duration.ofMillis(250));
                }
            }
        }
        throw new IllegalStateException("Kafka broker not ready after " + READY_TIMEOUT + "; see " + logFile);
    }

    private static Path writeServerProperties(Path dataDir, int port, BrokerCredentials credentials)
            throws IOException {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + (port + 1));
        props.put("controller.listener.names", "CONTROLLER");
        props.put("log.dirs", dataDir.resolve("logs").toAbsolutePath().toString());
        props.putAll(SingleNodeBroker.SETTINGS);
        if (credentials == null) {
            props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + (port + 1));
            props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
            props.put("inter.broker.listener.name", "PLAINTEXT");
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        } else {
            props.putAll(securedListeners(port, credentials));
        }
        Path file = dataDir.resolve("server.properties");
        // It holds the super user's password when secured: readable by its owner only, from creation on.
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, props.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "# Written by Streamtune at every start.\n", "\n")));
        return file;
    }

    /**
     * SASL on both listeners. The super user logs in with PLAIN, checked against the JAAS {@code user_<name>}
     * entry here (so it works before any SCRAM credential exists, and on storage formatted without auth); every
     * other user with SCRAM-SHA-256 against the cluster metadata. The broker itself is the super user on both.
     */
    static Map<String, String> securedListeners(int port, BrokerCredentials credentials) {
        String user = credentials.superUser();
        String password = credentials.superUserPassword();
        String plain = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
                + "\" password=\"" + password + "\" user_" + user + "=\"" + password + "\";";
        Map<String, String> props = new LinkedHashMap<>();
        props.put("listeners", "CLIENT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + (port + 1));
        props.put("advertised.listeners", "CLIENT://127.0.0.1:" + port);
        props.put("inter.broker.listener.name", "CLIENT");
        props.put("listener.security.protocol.map", "CLIENT:" + SASL_PROTOCOL + ",CONTROLLER:" + SASL_PROTOCOL);
        props.put("listener.name.client.sasl.enabled.mechanisms", CLIENT_MECHANISM + "," + SUPER_USER_MECHANISM);
        props.put("listener.name.client.plain.sasl.jaas.config", plain);
        // The server side of SCRAM needs a login module entry too, though the broker never logs in with it.
        props.put("listener.name.client.scram-sha-256.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        props.put("listener.name.controller.sasl.enabled.mechanisms", SUPER_USER_MECHANISM);
        props.put("listener.name.controller.plain.sasl.jaas.config", plain);
        props.put("sasl.mechanism.inter.broker.protocol", SUPER_USER_MECHANISM);
        props.put("sasl.mechanism.controller.protocol", SUPER_USER_MECHANISM);
        props.put("authorizer.class.name", AUTHORIZER);
        props.put("super.users", "User:" + user);
        props.put("allow.everyone.if.no.acl.found", "false");
        return props;
    }

    /** The broker logs through SLF4J; this keeps its INFO chatter in broker.log instead of our console. */
    private static Path writeLogConfig(Path dataDir) throws IOException {
        Path file = dataDir.resolve("broker-logback.xml");
        Files.writeString(file, """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{ISO8601} %-5level [%logger{30}] %msg%n</pattern></encoder>
                  </appender>
                  <logger name="kafka.coordinator" level="WARN"/>
                  <logger name="org.apache.kafka.clients" level="WARN"/>
                  <root level="INFO"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        return file;
    }

    private static List<String> javaCommand(String heap, Path logConfig, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-Xms" + heap, "-XX:+UseG1GC", "-Djava.awt.headless=true",
                "-Dlogback.configurationFile=" + logConfig.toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return command;
    }

    private static void runToCompletion(List<String> command, Path logFile) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("Formatting Kafka storage failed; last lines of " + logFile + ":\n"
                        + tail(logFile, 20));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while formatting Kafka storage", e);
        }
    }

    private static void refuseBusyPort(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        } catch (IOException free) {
            return;
        }
        throw new IllegalStateException("Port " + port + " on 127.0.0.1 is already in use (an earlier run still "
                + "going?). Stop it, choose another port, or point KAFKA_BOOTSTRAP_SERVERS at a running cluster.");
    }

    /** The first ERROR line and what follows it: the reason, before the shutdown's own noise. */
    private static String firstError(Path file) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).contains(" ERROR ")) {
                    return String.join("\n", all.subList(i, Math.min(all.size(), i + 8)));
                }
            }
            return "(none)";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
        }
    }
}
