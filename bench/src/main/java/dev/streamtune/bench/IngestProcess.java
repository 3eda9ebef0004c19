package dev.streamtune.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.streamtune.localkafka.ChildProcesses;

/**
 * The ingest service as it is deployed: its own JVM, started from the ingest module's build output
 * ({@code ingest/target/classes} and {@code runtime-classpath.txt}) with its own {@code application.yml}, the
 * bench's settings given as system properties (which Micronaut ranks above the file). Its log goes to a file.
 */
final class IngestProcess implements AutoCloseable {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path log;

    private IngestProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * @param repo       the repository root, where {@code ingest/target} is
     * @param properties Micronaut properties, e.g. {@code ingest.tasks.wordnet.labels}
     */
    static IngestProcess start(Path repo, Path home, Map<String, String> properties) throws IOException {
        Path classpathFile = repo.resolve("ingest/target/runtime-classpath.txt");
        if (!Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException(classpathFile + " is missing: build ingest first (bench/run.sh does)");
        }
        String classpath = repo.resolve("ingest/target/classes") + ":"
                + Files.readString(classpathFile, StandardCharsets.UTF_8).strip();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m", "-XX:+UseG1GC",
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.streamtune.schema"));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-cp", classpath, "dev.streamtune.ingest.IngestApplication"));
        Files.createDirectories(home);
        Path log = home.resolve("ingest.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new IngestProcess(process, log);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        ChildProcesses.stop(process, STOP_TIMEOUT, "ingest");
    }
}
