package dev.streamtune.evaluator.catalogue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import dev.streamtune.contract.LocalSigningKeys;
import dev.streamtune.contract.RecordVerifier;
import dev.streamtune.contract.SignerRole;
import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.contract.Topics;
import dev.streamtune.evaluator.EvaluatorService;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TaskCatalogueFollower;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.schema.TaskState;
import dev.streamtune.testsupport.KafkaBroker;
import dev.streamtune.testsupport.WithKafka;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The task catalogue through the real HTTP server and a real broker: what the API writes is signed and read back by
 * any service's {@link TaskCatalogueFollower}; every bad input gets its 4xx; a restart keeps the catalogue and does
 * not provision the configured tasks again. Steps share one evaluator and broker, in order.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TaskCatalogueIT {

    private static final String TOKEN = "catalogue-s3cret";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    static Path home; // one for the class: the restarted evaluator needs the same keys

    private KafkaBroker broker;
    private LocalSigningKeys keys;
    private ApplicationContext evaluator;
    private BlockingHttpClient http;
    private String tasks;
    private TaskCatalogueFollower follower;

    @Test
    @Order(1)
    void theConfiguredTasksAreProvisionedAtFirstStart(KafkaBroker broker) throws Exception {
        this.broker = broker;
        keys = LocalSigningKeys.ensure(home.resolve("keys"));
        start();
        follower = new TaskCatalogueFollower("test", KafkaConnection.plaintext(broker.bootstrapServers()),
                new RecordVerifier(keys.trusted(), RecordVerifier.Rejections.NONE)).start();
        assertTrue(follower.awaitCaughtUp(PATIENCE));
        await(() -> follower.current().find("topic").isPresent() && follower.current().find("sentiment").isPresent());
        TaskDefinition sentiment = follower.current().find("sentiment").orElseThrow();
        assertEquals(List.of("negative", "positive"), sentiment.getLabels());
        assertEquals("positive", sentiment.getPositiveLabel());
        assertEquals("bootstrap", sentiment.getChangedBy());
        assertEquals(List.of("world", "sports", "business", "sci-tech"), follower.current().labels("topic"));
        assertEquals(1000, follower.current().find("topic").orElseThrow().getWindow().getMaxCount());
    }

    @Test
    @Order(2)
    void aCreatedTaskIsSignedOnTheTopicAndReadableByAnyService() throws Exception {
        HttpResponse<Map> created = http.exchange(post(tasks + "?by=alice", """
                {"task": "intents", "labels": ["refund", "upgrade"], "positiveLabel": "refund",
                 "window": {"maxCount": 200}, "gateOverrides": {"max-quality-drop": 0.02}}"""), Map.class);
        assertEquals(HttpStatus.CREATED, created.getStatus());
        assertEquals(1, ((Number) created.body().get("version")).intValue());
        assertEquals("alice", created.body().get("changedBy"));

        await(() -> follower.current().find("intents").isPresent());
        TaskDefinition onTopic = follower.current().find("intents").orElseThrow();
        assertEquals(List.of("refund", "upgrade"), onTopic.getLabels());
        assertEquals(200, onTopic.getWindow().getMaxCount());
        assertEquals(Map.of("max-quality-drop", 0.02), onTopic.getGateOverrides());
        assertNotNull(onTopic.getSignature(), "the follower only applies what the evaluator signed");

        Map<?, ?> shown = http.retrieve(get(tasks + "/intents"), Map.class);
        assertEquals(List.of("refund", "upgrade"), shown.get("labels"));
        List<?> all = http.retrieve(get(tasks), io.micronaut.core.type.Argument.listOf(Map.class));
        assertEquals(3, all.size(), all.toString());
    }

    @Test
    @Order(3)
    void appendedLabelsAndPolicyChangesAreNewVersionsEvenWhenCallsRace() throws Exception {
        HttpResponse<Map> added = http.exchange(post(tasks + "/intents/labels?by=bob", "{\"labels\": [\"cancel\"]}"),
                Map.class);
        assertEquals(List.of("refund", "upgrade", "cancel"), added.body().get("labels"));
        assertEquals(2, ((Number) added.body().get("version")).intValue());

        // Two calls at once: the writer sees its own write before the next command, so they become v3 and v4.
        List<CompletableFuture<Map>> racing = new ArrayList<>();
        for (String label : List.of("billing", "delivery")) {
            racing.add(CompletableFuture.supplyAsync(() -> http.retrieve(
                    post(tasks + "/intents/labels", "{\"labels\": [\"" + label + "\"]}"), Map.class)));
        }
        List<Integer> versions = new ArrayList<>();
        for (CompletableFuture<Map> call : racing) {
            versions.add(((Number) call.get().get("version")).intValue());
        }
        assertEquals(List.of(3, 4), versions.stream().sorted().toList());

        Map<?, ?> patched = http.retrieve(HttpRequest.PATCH(tasks + "/intents?by=carol",
                "{\"positiveLabel\": \"cancel\", \"text\": {\"overflow\": \"REJECT\"}}").bearerAuth(TOKEN)
                .contentType(MediaType.APPLICATION_JSON_TYPE), Map.class);
        assertEquals("cancel", patched.get("positiveLabel"));
        assertEquals("REJECT", ((Map<?, ?>) patched.get("text")).get("overflow"));

        await(() -> follower.current().find("intents").map(TaskDefinition::getVersion).orElse(0L) == 5);
        assertEquals(5, follower.current().labels("intents").size());
        assertEquals("cancel", follower.current().find("intents").orElseThrow().getPositiveLabel());
        assertEquals(5, evaluator.getBean(TaskCatalogueWriter.class).find("intents").orElseThrow().getVersion());
    }

    @Test
    @Order(4)
    void everyBadInputGetsItsOwnClientError() {
        assertStatus(HttpStatus.UNAUTHORIZED, HttpRequest.GET(tasks));
        assertStatus(HttpStatus.UNAUTHORIZED, HttpRequest.POST(tasks, "{not json").bearerAuth("wrong")
                .contentType(MediaType.APPLICATION_JSON_TYPE));
        assertStatus(HttpStatus.BAD_REQUEST, post(tasks, "{\"task\": \"Bad Name!\", \"labels\": [\"a\"]}"));
        assertStatus(HttpStatus.NOT_FOUND, get(tasks + "/nope"));
        assertStatus(HttpStatus.NOT_FOUND, post(tasks + "/nope/labels", "{\"labels\": [\"a\"]}"));
        assertStatus(HttpStatus.CONFLICT, post(tasks, "{\"task\": \"intents\", \"labels\": [\"a\"]}"));
        assertStatus(HttpStatus.CONFLICT, post(tasks + "/intents/labels", "{\"labels\": [\"x\", \"x\"]}"));
        assertStatus(HttpStatus.CONFLICT, post(tasks + "/intents/labels", "{\"labels\": [\"refund\"]}"));
        String tooMany = IntStream.rangeClosed(0, TaskCatalogue.MAX_LABELS).mapToObj(i -> "\"l" + i + "\"")
                .reduce((a, b) -> a + "," + b).orElseThrow();
        assertStatus(HttpStatus.UNPROCESSABLE_ENTITY, post(tasks + "/intents/labels", "{\"labels\": [" + tooMany
                + "]}"));
        assertStatus(HttpStatus.BAD_REQUEST, HttpRequest.PATCH(tasks + "/intents",
                "{\"gateOverrides\": {\"max-everything\": 1}}").bearerAuth(TOKEN)
                .contentType(MediaType.APPLICATION_JSON_TYPE));
        assertStatus(HttpStatus.BAD_REQUEST, HttpRequest.PATCH(tasks + "/intents", "{}").bearerAuth(TOKEN)
                .contentType(MediaType.APPLICATION_JSON_TYPE));
        assertStatus(HttpStatus.BAD_REQUEST, post(tasks, "{\"task\": \"fresh\", \"labels\": "));
        assertStatus(HttpStatus.BAD_REQUEST, post(tasks, "{\"task\": \"fresh\", \"labels\": \"a,b\"}"));
        assertStatus(HttpStatus.BAD_REQUEST, post(tasks, "{\"task\": \"fresh\", \"labels\": [\"a\"], "
                + "\"window\": {\"maxCount\": \"many\"}}"));
        assertStatus(HttpStatus.BAD_REQUEST, post(tasks, ""));
        assertStatus(HttpStatus.BAD_REQUEST, post(tasks, "{\"task\": \"fresh\", \"labels\": [\"a\"], "
                + "\"positivelabel\": \"a\"}"));
        assertStatus(HttpStatus.BAD_REQUEST, HttpRequest.PATCH(tasks + "/intents",
                "{\"window\": {\"maxcount\": 5}}").bearerAuth(TOKEN).contentType(MediaType.APPLICATION_JSON_TYPE));

        assertEquals("RETIRED", http.retrieve(post(tasks + "/intents/retire?by=dave", ""), Map.class).get("state"));
        HttpClientResponseException retired = assertStatus(HttpStatus.CONFLICT,
                post(tasks + "/intents/labels", "{\"labels\": [\"late\"]}"));
        assertTrue(retired.getResponse().getBody(Map.class).orElseThrow().get("error").toString().contains("retired"));
        assertStatus(HttpStatus.CONFLICT, post(tasks + "/intents/resume", ""));
        assertStatus(HttpStatus.CONFLICT, post(tasks + "/sentiment/resume", ""));
    }

    @Test
    @Order(5)
    void aRestartKeepsTheCatalogueAndDoesNotProvisionAgain() throws Exception {
        evaluator.close();
        start();
        Map<?, ?> intents = http.retrieve(get(tasks + "/intents"), Map.class);
        assertEquals(TaskState.RETIRED.name(), intents.get("state"));
        assertEquals(6, ((Number) intents.get("version")).intValue());
        Thread.sleep(2000); // room for a wrong second bootstrap to arrive
        assertEquals(1, definitionsOnTopic("sentiment"), "sentiment was provisioned once");
        assertEquals(1, definitionsOnTopic("topic"));
        assertEquals("bootstrap", http.retrieve(get(tasks + "/sentiment"), Map.class).get("changedBy"));
    }

    @org.junit.jupiter.api.AfterAll
    void stop() {
        if (follower != null) {
            follower.close();
        }
        if (evaluator != null) {
            evaluator.close();
        }
    }

    private void start() throws InterruptedException {
        Map<String, Object> properties = new HashMap<>(Map.of(
                "micronaut.server.port", -1,
                "kafka.bootstrap-servers", broker.bootstrapServers(),
                "evaluator.admin-token", TOKEN,
                "streamtune.home", home.toString()));
        properties.putAll(keys.properties(SignerRole.EVALUATOR));
        evaluator = ApplicationContext.run(EmbeddedServer.class, properties).getApplicationContext();
        http = evaluator.createBean(HttpClient.class, evaluator.getBean(EmbeddedServer.class).getURL()).toBlocking();
        tasks = "/tasks";
        EvaluatorService service = evaluator.getBean(EvaluatorService.class);
        await(service::caughtUp);
    }

    private long definitionsOnTopic(String task) {
        long[] count = {0};
        broker.read(Topics.TASKS.name(), records -> {
            count[0] = records.stream().filter(r -> task.equals(new String(r.key()))).count();
            return false;
        }, Duration.ofSeconds(3));
        return count[0];
    }

    private static MutableHttpRequest<String> post(String uri, String json) {
        return HttpRequest.POST(uri, json).bearerAuth(TOKEN).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    private static MutableHttpRequest<?> get(String uri) {
        return HttpRequest.GET(uri).bearerAuth(TOKEN);
    }

    private HttpClientResponseException assertStatus(HttpStatus status, HttpRequest<?> request) {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                () -> http.exchange(request, Map.class));
        assertEquals(status, e.getStatus(), request.getPath() + ": " + e.getResponse().getBody(String.class));
        Map<?, ?> body = e.getResponse().getBody(Map.class).orElseThrow(() -> new AssertionError("no JSON body"));
        assertTrue(body.get("error") instanceof String, body.toString());
        return e;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + PATIENCE);
            }
            Thread.sleep(100);
        }
    }
}
