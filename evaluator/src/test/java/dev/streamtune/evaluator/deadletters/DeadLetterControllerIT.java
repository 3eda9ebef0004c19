package dev.streamtune.evaluator.deadletters;

import static dev.streamtune.evaluator.deadletters.DeadLetterFixture.avro;
import static dev.streamtune.evaluator.deadletters.DeadLetterFixture.json;
import static dev.streamtune.evaluator.deadletters.DeadLetterFixture.letter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.streamtune.contract.LocalSigningKeys;
import dev.streamtune.contract.SignerRole;
import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TaskTopicFixture;
import dev.streamtune.testsupport.KafkaBroker;
import dev.streamtune.testsupport.WithKafka;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dead-letter endpoints in the running evaluator: token, 4xx JSON for bad input, counts, replay once. */
@WithKafka
class DeadLetterControllerIT {

    private static final String TOKEN = "dead-letter-test-token";

    @Test
    void listsAndReplaysATasksDeadLettersOnceAndAnswersBadInputWith4xx(KafkaBroker broker, @TempDir Path dir)
            throws Exception {
        LocalSigningKeys keys = LocalSigningKeys.ensure(dir.resolve("keys"));
        TaskTopicFixture.publish(broker.bootstrapServers(), keys.signer(SignerRole.EVALUATOR),
                TaskCatalogue.newTask("intent", List.of("billing", "refund"), "alice", Instant.now()));
        new DeadLetterTopics(KafkaConnection.plaintext(broker.bootstrapServers())).deadLetter(
                letter("UNKNOWN_LABEL", "intent", "refund", json("intent", "refund", null, "money back"), 1),
                letter("UNKNOWN_LABEL", "intent", "refund", avro("intent", "refund", "a-1", "refund me"), 2),
                letter("TEXT_TOO_SHORT", "intent", "billing", json("intent", "billing", "s-1", "hi"), 3));

        Map<String, Object> properties = new HashMap<>(Map.of(
                "micronaut.server.port", -1,
                "kafka.bootstrap-servers", broker.bootstrapServers(),
                "evaluator.admin-token", TOKEN,
                "streamtune.home", dir.toString()));
        properties.putAll(keys.properties(SignerRole.EVALUATOR));
        try (ApplicationContext context = ApplicationContext.run(EmbeddedServer.class, properties)
                .getApplicationContext()) {
            BlockingHttpClient http = context.getBean(HttpClient.class).toBlocking();
            String base = context.getBean(EmbeddedServer.class).getURL() + "/tasks/";
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!context.getBean(OpenLabelMonitor.class).caughtUp()
                    || context.getBean(OpenLabelMonitor.class).counts("intent").total() < 3) {
                assertTrue(System.nanoTime() < deadline, "the evaluator read its topics");
                Thread.sleep(100);
            }

            var noToken = assertThrows(HttpClientResponseException.class,
                    () -> http.exchange(HttpRequest.GET(base + "intent/dead-letters")));
            assertEquals(HttpStatus.UNAUTHORIZED, noToken.getStatus());
            assertEquals("Bearer realm=\"streamtune-evaluator\"",
                    noToken.getResponse().getHeaders().get(HttpHeaders.WWW_AUTHENTICATE));
            assertError(http, HttpRequest.GET(base + "nope/dead-letters"), HttpStatus.NOT_FOUND, "Unknown task nope");
            assertError(http, HttpRequest.POST(base + "intent/dead-letters/replay?reason=NOPE", ""),
                    HttpStatus.BAD_REQUEST, "not a replayable reason code");
            assertError(http, HttpRequest.POST(base + "intent/dead-letters/replay?reason=MALFORMED", ""),
                    HttpStatus.BAD_REQUEST, "UNKNOWN_LABEL");
            assertError(http, HttpRequest.POST(base + "intent/dead-letters/replay", ""),
                    HttpStatus.BAD_REQUEST, "reason is required");
            assertError(http, HttpRequest.POST(base + "nope/dead-letters/replay?reason=UNKNOWN_LABEL", ""),
                    HttpStatus.NOT_FOUND, "Unknown task nope");

            Map<?, ?> counts = http.retrieve(HttpRequest.GET(base + "intent/dead-letters").bearerAuth(TOKEN),
                    Map.class);
            assertEquals(3, ((Number) counts.get("total")).intValue());
            assertEquals(Map.of("UNKNOWN_LABEL", 2, "TEXT_TOO_SHORT", 1), counts.get("byReason"));
            assertEquals(Map.of("refund", 2, "billing", 1), counts.get("byLabel"));

            Map<?, ?> replayed = http.retrieve(HttpRequest.POST(base
                    + "intent/dead-letters/replay?reason=unknown_label&wait=0", "").bearerAuth(TOKEN), Map.class);
            assertEquals(2, ((Number) replayed.get("replayed")).intValue());
            assertEquals(2, ((Number) replayed.get("pending")).intValue(), "no ingest runs here");
            Map<?, ?> again = http.retrieve(HttpRequest.POST(base
                    + "intent/dead-letters/replay?reason=UNKNOWN_LABEL&wait=0", "").bearerAuth(TOKEN), Map.class);
            assertEquals(0, ((Number) again.get("replayed")).intValue());
        }
    }

    private static void assertError(BlockingHttpClient http, io.micronaut.http.MutableHttpRequest<?> request,
                                    HttpStatus status, String message) {
        var error = assertThrows(HttpClientResponseException.class, () -> http.exchange(request.bearerAuth(TOKEN)));
        assertEquals(status, error.getStatus());
        String body = error.getResponse().getBody(String.class).orElse("");
        assertTrue(body.startsWith("{\"error\":") && body.contains(message), body);
    }
}
