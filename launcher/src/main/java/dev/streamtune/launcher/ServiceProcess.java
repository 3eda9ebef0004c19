package dev.streamtune.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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

import dev.streamtune.localkafka.ChildProcesses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Streamtune service running as its own JVM from its module's build output, the way each runs in production.
 * Its output is copied to ours line by line so one terminal shows the whole system.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceProcess.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    /** JVM flags every service needs: Avro's trusted package, DJL without network access. */
    static final List<String> COMMON_JVM_FLAGS = List.of(
            "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.streamtune.schema",
            "-Dai.djl.offline=true",
            "-XX:+UseG1GC");

    private final Service service;
    private final Process process;
    private final String url;

    private ServiceProcess(Service service, Process process, String url) {
        this.service = service;
        this.process = process;
        this.url = url;
    }

    /** A service the launcher knows how to start: its module directory, main class and HTTP port. */
    public record Service(String name, String module, String mainClass, int port, String heap) {

        Path classpathFile(Path repo) {
            return repo.resolve(module).resolve("target").resolve("runtime-classpath.txt");
        }

        public boolean isBuilt(Path repo) {
            return Files.isRegularFile(classpathFile(repo));
        }

        /** On loopback, where the services listen unless STREAMTUNE_BIND_HOST says otherwise. */
        String url() {
            return url("127.0.0.1");
        }

        /** @param host where the service listens (an IPv6 literal in brackets) */
        public String url(String host) {
            return "http://" + host + ":" + port;
        }
    }

    /** @param host where the service will listen (its STREAMTUNE_BIND_HOST, or loopback for every interface) */
    static ServiceProcess start(Service service, Path repo, Map<String, String> environment, String host)
            throws IOException {
        return start(service, repo, environment, Map.of(), null, host);
    }

    /**
     * @param systemProperties configuration given as {@code -D} flags (Micronaut ranks them above application.yml)
     * @param logFile          where the service's output goes; null copies it to ours line by line
     */
    public static ServiceProcess start(Service service, Path repo, Map<String, String> environment,
                                       Map<String, String> systemProperties, Path logFile) throws IOException {
        return start(service, repo, environment, systemProperties, logFile, "127.0.0.1");
    }

    private static ServiceProcess start(Service service, Path repo, Map<String, String> environment,
                                        Map<String, String> systemProperties, Path logFile, String host)
            throws IOException {
        if (!service.isBuilt(repo)) {
            throw new IllegalStateException(service.classpathFile(repo) + " is missing: build " + service.module()
                    + " first");
        }
        String classpath = repo.resolve(service.module()).resolve("target").resolve("classes") + ":"
                + Files.readString(service.classpathFile(repo)).strip();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + service.heap()));
        command.addAll(COMMON_JVM_FLAGS);
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-cp", classpath, service.mainClass()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (logFile != null) {
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        }
        builder.environment().putAll(environment);
        builder.environment().put("OPT_OUT_TRACKING", "true");
        builder.environment().put("DJL_OFFLINE", "true");
        Process process = builder.start();
        ServiceProcess started = new ServiceProcess(service, process, service.url(host));
        if (logFile == null) {
            Thread pump = new Thread(started::copyOutput, service.name() + "-output");
            pump.setDaemon(true);
            pump.start();
        }
        LOG.info("Started {} (pid {}) on {}{}", service.name(), process.pid(), started.url,
                logFile == null ? "" : ", log in " + logFile);
        return started;
    }

    /**
     * Waits until the service's /health answers 200 (everything it depends on is up), the process dies, or the
     * deadline passes.
     *
     * @return true when healthy
     */
    boolean awaitHealthy(HttpClient http, Duration patience) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/health"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + patience.toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        return false;
    }

    /** The HTTP status of {@code /health/liveness} (503: a loop ended for good), or -1 when it does not answer. */
    int liveness(HttpClient http) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(service.url() + "/health/liveness"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException notAnswering) {
            return -1;
        }
    }

    Service service() {
        return service;
    }

    /** Where this process's service answers. */
    String url() {
        return url;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Completes with the exit code when the process ends, however it ends. */
    java.util.concurrent.CompletableFuture<Integer> onExit() {
        return process.onExit().thenApply(Process::exitValue);
    }

    private void copyOutput() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                System.out.println(line);
            }
        } catch (IOException e) {
            // the process ended
        }
        if (!process.isAlive() && process.exitValue() != 0 && process.exitValue() != 143) {
            LOG.error("{} exited with code {}", service.name(), process.exitValue());
        }
    }

    @Override
    public void close() {
        ChildProcesses.stop(process, STOP_TIMEOUT, service.name());
    }
}
