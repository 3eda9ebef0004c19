package dev.streamtune.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.streamtune.launcher.Streamtune;

/**
 * The run command ({@code ./streamtune}) as a child process: the launcher's JVM exactly as the script starts it, its
 * local broker and one JVM per service, with all state under its own {@code STREAMTUNE_HOME}. The script itself is
 * not run: when it finds sources newer than its classpath file it builds with {@code mvn install}, which a bench
 * must never do (the local repository is shared); bench/run.sh has built everything with a reactor package instead.
 * Closing it (or the bench's JVM ending, even by Ctrl-C) sends SIGTERM, which stops the services and the broker.
 */
final class RunCommandProcess implements AutoCloseable {

    /** Every service the run command starts, in pipeline order. */
    static final List<String> SERVICES = List.of("ingest", "trainer", "evaluator", "serving");
    /** The launcher stops each service within 30 s and then the broker; beyond this the bench kills what is left. */
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(150);

    private final Process process;
    private final Path log;
    private final Thread stopOnExit;

    private RunCommandProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.stopOnExit = new Thread(this::stop, "freshness-bench-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /**
     * Starts the run command on a local broker at {@code kafkaPort}, its output in {@code home/streamtune.log}.
     * The services' HTTP ports are fixed (the launcher checks their health there), so they must be free.
     */
    static RunCommandProcess start(Path repo, Path home, int kafkaPort) throws IOException {
        for (String name : SERVICES) {
            int port = Streamtune.service(name).port();
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                // free
            } catch (IOException taken) {
                throw new IllegalStateException("port " + port + " (" + name + ") is taken: is another Streamtune "
                        + "running? Stop it first; the run command's services listen on fixed ports.");
            }
        }
        Path classpathFile = repo.resolve("launcher/target/runtime-classpath.txt");
        if (!Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException(classpathFile + " is missing: bench/run.sh freshness builds it");
        }
        String classpath = repo.resolve("launcher/target/classes") + ":" + Files.readString(classpathFile).strip();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        // The script's JVM options (STREAMTUNE_JAVA_OPTS, else -Xmx2g) and flags.
        String javaOptions = System.getenv().getOrDefault("STREAMTUNE_JAVA_OPTS", "-Xmx2g").strip();
        if (!javaOptions.isEmpty()) {
            command.addAll(List.of(javaOptions.split("\\s+")));
        }
        command.addAll(List.of("-Dai.djl.offline=true", "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.streamtune.schema",
                "-cp", classpath, Streamtune.class.getName()));
        Path log = home.resolve("streamtune.log");
        Files.createDirectories(home);
        ProcessBuilder builder = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> environment = builder.environment();
        // A self-contained run: a local broker, every service, open predict, the evaluator it starts itself.
        List.of("KAFKA_BOOTSTRAP_SERVERS", "STREAMTUNE_SERVICES", "SERVING_API_TOKENS", "EVALUATOR_URL",
                "EVALUATOR_ADMIN_TOKEN", "STREAMTUNE_KAFKA_AUTH", "STREAMTUNE_BIND_HOST").forEach(environment::remove);
        environment.put("STREAMTUNE_HOME", home.toString());
        environment.put("STREAMTUNE_KAFKA_PORT", String.valueOf(kafkaPort));
        environment.put("OPT_OUT_TRACKING", "true");
        environment.put("DJL_OFFLINE", "true");
        return new RunCommandProcess(builder.start(), log);
    }

    /** Waits until every service's /health answers 200. */
    void awaitHealthy(Duration patience) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + patience.toNanos();
        for (String name : SERVICES) {
            URI health = URI.create(Streamtune.service(name).url("127.0.0.1") + "/health");
            while (true) {
                try {
                    if (http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).GET().build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        break;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                if (!alive()) {
                    throw new IllegalStateException("the run command exited while starting " + name + "\n" + tail());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + " did not become healthy within " + patience.toSeconds()
                            + " s\n" + tail());
                }
                Thread.sleep(500);
            }
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** The last lines of the run command's output, for a failure's message. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "--- last lines of " + log + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGTERM, as Ctrl-C would: the launcher's shutdown hook stops the services, then the broker. */
    private void stop() {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(STOP_PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        // Services or a broker that outlived the launcher (killed, or stuck) would hold the ports for the next run.
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }
}
