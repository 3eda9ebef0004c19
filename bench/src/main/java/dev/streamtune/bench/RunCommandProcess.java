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
import java.util.List;
import java.util.Map;

import dev.streamtune.launcher.Streamtune;

/**
 * The run command ({@code ./streamtune}) as a child process: its local broker and one JVM per service, with all state
 * under its own {@code STREAMTUNE_HOME}. It runs with {@code STREAMTUNE_SKIP_BUILD=true}: bench/run.sh has built
 * everything with a reactor package, and the script's own build ({@code mvn install}, when sources look newer than
 * its classpath file) would change the shared local repository. The script {@code exec}s the launcher's JVM, so
 * closing this (or the bench's JVM ending, even by Ctrl-C) sends that JVM SIGTERM, which stops the services and the
 * broker.
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
        Path log = home.resolve("streamtune.log");
        Files.createDirectories(home);
        ProcessBuilder builder = new ProcessBuilder(repo.resolve("streamtune").toString()).directory(repo.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> environment = builder.environment();
        environment.put("STREAMTUNE_SKIP_BUILD", "true");
        // A self-contained run: a local broker, every service, open predict, the evaluator it starts itself.
        List.of("KAFKA_BOOTSTRAP_SERVERS", "STREAMTUNE_SERVICES", "SERVING_API_TOKENS", "EVALUATOR_URL",
                "EVALUATOR_ADMIN_TOKEN", "STREAMTUNE_KAFKA_AUTH", "STREAMTUNE_BIND_HOST").forEach(environment::remove);
        environment.put("STREAMTUNE_HOME", home.toString());
        environment.put("STREAMTUNE_KAFKA_PORT", String.valueOf(kafkaPort));
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
