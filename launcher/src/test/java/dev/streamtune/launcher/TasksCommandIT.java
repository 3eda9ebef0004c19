package dev.streamtune.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.streamtune.contract.LocalSigningKeys;
import dev.streamtune.contract.SignerRole;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.launcher.cli.AdminTokenFile;
import dev.streamtune.launcher.cli.TasksCommand;
import dev.streamtune.launcher.cli.WatchCommand;
import dev.streamtune.localkafka.LocalKafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./streamtune tasks} and {@code ./streamtune watch} against the real evaluator process (as the run command
 * starts it, with the token file it makes) and a real local broker.
 */
class TasksCommandIT {

    @TempDir
    Path home;

    @Test
    void createsAndChangesATaskThroughTheEvaluatorAndWatchesTheTasksTopic() throws Exception {
        Path repo = Path.of("").toAbsolutePath().getParent();
        int kafkaPort = LocalKafkaBroker.freePortPair();
        int evaluatorPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            evaluatorPort = socket.getLocalPort();
        }
        Path keysDir = home.resolve(Streamtune.KEYS_DIRECTORY);
        LocalSigningKeys keys = LocalSigningKeys.ensure(keysDir);
        String token = AdminTokenFile.ensure(keysDir, Map.of());
        ServiceProcess.Service evaluator = new ServiceProcess.Service("evaluator", "evaluator",
                Streamtune.service("evaluator").mainClass(), evaluatorPort, "1g");
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(home.resolve("kafka"), kafkaPort, "256m")) {
            Map<String, String> env = new HashMap<>(keys.environment(SignerRole.EVALUATOR));
            env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
            env.put("STREAMTUNE_HOME", home.toString());
            env.put("EVALUATOR_PORT", Integer.toString(evaluatorPort));
            env.put(AdminTokenFile.VARIABLE, token);
            try (ServiceProcess process = ServiceProcess.start(evaluator, repo, env, Map.of(),
                    home.resolve("evaluator.log"))) {
                assertTrue(process.awaitHealthy(HttpClient.newHttpClient(), Duration.ofMinutes(3)), "healthy");
                Map<String, String> cli = Map.of("EVALUATOR_URL", evaluator.url("127.0.0.1"), "USER", "alice");

                Run list = awaitSuccess(cli, keysDir, "list");
                assertTrue(list.out.contains("sentiment") && list.out.contains("topic"), list.out);

                Run created = run(cli, keysDir, "create", "intents", "--labels", "refund,upgrade", "--positive",
                        "refund", "window.max-count=200");
                assertEquals(0, created.code, created.err);
                assertTrue(created.out.startsWith("intents  v1  ACTIVE"), created.out);
                assertTrue(created.out.contains("200 examples"), created.out);

                assertEquals(0, run(cli, keysDir, "add-labels", "intents", "cancel").code);
                Run again = run(cli, keysDir, "add-labels", "intents", "cancel");
                assertEquals(1, again.code);
                assertTrue(again.err.contains("already has label 'cancel' (HTTP 409)"), again.err);

                Run shown = run(cli, keysDir, "show", "intents", "--json");
                assertTrue(shown.out.contains("\"labels\":[\"refund\",\"upgrade\",\"cancel\"]"), shown.out);
                assertTrue(shown.out.contains("\"changedBy\":\"alice\""), shown.out);

                Run unknown = run(cli, keysDir, "pause", "nope");
                assertEquals(1, unknown.code);
                assertTrue(unknown.err.contains("HTTP 404"), unknown.err);

                String watched = watch(broker.bootstrapServers());
                assertTrue(watched.lines().anyMatch(line -> line.contains("\"task\":\"intents\"")
                        && line.contains("\"version\":2")), watched);
            }
        }
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(Map<String, String> env, Path keys, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = TasksCommand.run(List.of(args), env, "http://127.0.0.1:1", keys,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The first calls may meet an evaluator still replaying its topics (503). */
    private static Run awaitSuccess(Map<String, String> env, Path keys, String... args) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        Run last;
        do {
            last = run(env, keys, args);
            if (last.code == 0 && last.out.contains("topic")) {
                return last;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        return last;
    }

    /** {@code watch tasks --from-beginning} for a few seconds. */
    private static String watch(String bootstrap) throws InterruptedException {
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(lines, true, StandardCharsets.UTF_8);
        Thread watcher = new Thread(() -> {
            try {
                WatchCommand.run(WatchCommand.parse(List.of(Topics.TASKS.name(), "--from-beginning")),
                        KafkaConnection.plaintext(bootstrap), out);
            } catch (RuntimeException interrupted) {
                // stopped below
            }
        });
        watcher.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!lines.toString(StandardCharsets.UTF_8).contains("\"version\":2") && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        watcher.interrupt();
        watcher.join(10_000);
        return lines.toString(StandardCharsets.UTF_8);
    }
}
