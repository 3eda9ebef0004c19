package dev.streamtune.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TopicProvisioner;
import dev.streamtune.testsupport.KafkaBroker;
import dev.streamtune.testsupport.WithKafka;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serving's admin endpoints with nothing but the admin tokens configured: the evaluator's address is the default
 * of application.yml (127.0.0.1:8083, what the local run uses). Unquoted, that default resolved to "8083" and
 * every admin call died in the HTTP client with a 500.
 */
@WithKafka
class ServingAdminDefaultsIT {

    private static final String ADMIN_TOKEN = "serving-admin";
    private static final String EVALUATOR_TOKEN = "evaluator-admin";
    /** The evaluator's port in application.yml's default EVALUATOR_URL. */
    private static final int DEFAULT_EVALUATOR_PORT = 8083;

    @TempDir
    Path home;

    @Test
    void adminCallsReachTheEvaluatorAtItsDefaultAddressAndSay502WhenItIsDown(KafkaBroker broker) throws Exception {
        Assumptions.assumeTrue(System.getenv("EVALUATOR_URL") == null, "EVALUATOR_URL is set: not the default path");
        new TopicProvisioner(KafkaConnection.plaintext(broker.bootstrapServers())).ensureAll();
        List<String> calls = new CopyOnWriteArrayList<>();
        HttpServer evaluator = fakeEvaluator(calls);
        try (ApplicationContext context = TestAdapters.start(broker, home, Map.of(
                "serving.admin-token", ADMIN_TOKEN, "serving.evaluator-admin-token", EVALUATOR_TOKEN))) {
            Http http = new Http(TestAdapters.url(context));
            assertEquals(200, http.awaitOk("/health/liveness", Duration.ofSeconds(60)).status());
            if (evaluator != null) {
                Http.Answer pinned = http.post("/admin/tasks/sentiment/pin", "", ADMIN_TOKEN);
                assertEquals(200, pinned.status(), pinned.body());
                assertTrue(pinned.json().get("pinned").asBoolean(), pinned.body());
                assertEquals(List.of("POST /admin/tasks/sentiment/pin Bearer " + EVALUATOR_TOKEN), calls);
                evaluator.stop(0);
            } else {
                System.out.println("Port " + DEFAULT_EVALUATOR_PORT + " is taken by another process: only the "
                        + "answer's shape is checked");
            }
            Http.Answer down = http.post("/admin/tasks/sentiment/pin", "", ADMIN_TOKEN);
            assertTrue(down.status() != 500, "never a 500: " + down.status() + " " + down.body());
            assertTrue(down.contentType().startsWith("application/json"), down.contentType());
            if (evaluator != null) {
                assertEquals(502, down.status(), down.body());
                assertTrue(down.json().get("error").asText().contains("http://127.0.0.1:" + DEFAULT_EVALUATOR_PORT),
                        down.body());
            }
        } finally {
            if (evaluator != null) {
                evaluator.stop(0);
            }
        }
    }

    /** A stand-in evaluator on the default port, or null when something else holds it. */
    private static HttpServer fakeEvaluator(List<String> calls) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", DEFAULT_EVALUATOR_PORT), 0);
        } catch (BindException taken) {
            return null;
        }
        server.createContext("/admin/", exchange -> {
            calls.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "{\"task\":\"sentiment\",\"adapterId\":\"a1\",\"pinned\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }
}
