package dev.streamtune.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.contract.TextTruncation;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TopicProvisioner;
import dev.streamtune.schema.PredictionLog;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.schema.TaskState;
import dev.streamtune.schema.TextOverflow;
import dev.streamtune.schema.TextPolicy;
import dev.streamtune.testsupport.KafkaBroker;
import dev.streamtune.testsupport.WithKafka;
import io.micronaut.context.ApplicationContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serving follows the task catalogue on a real broker, with no restart: a task defined while it runs is answered
 * once an adapter is deployed, a label appended is accepted in feedback at once, a long text is truncated by the
 * task's text policy and flagged (or refused under REJECT), and a retired task answers 410.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TaskCatalogueIT {

    private static final String REVIEWS = "reviews";
    private static final String LIVE = "created-live";
    private static final Duration ARRIVAL = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    private KafkaBroker broker;
    private ApplicationContext context;
    private Http http;
    private TaskDefinition reviews;

    @BeforeAll
    void start(KafkaBroker broker) throws Exception {
        this.broker = broker;
        new TopicProvisioner(KafkaConnection.plaintext(broker.bootstrapServers())).ensureAll();
        reviews = TaskCatalogue.newTask(REVIEWS, TestAdapters.SENTIMENT, "test", Instant.now());
        TestAdapters.defineTasks(broker, reviews);
        Path adapter = TestAdapters.create(TestAdapters.store(dir), "r1", TestAdapters.SENTIMENT, 1);
        try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
            TestAdapters.send(producer, Topics.DEPLOYMENTS, REVIEWS, TestAdapters.deployment(REVIEWS, "r1", adapter,
                    null));
        }
        context = TestAdapters.start(broker, dir, Map.of());
        http = new Http(TestAdapters.url(context));
        assertEquals(200, http.awaitOk("/health/readiness", ARRIVAL).status(), "ready");
    }

    @AfterAll
    void stop() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    @Order(1)
    void aTaskCreatedWhileServingRunsIsAnsweredOnceAnAdapterIsDeployed() throws Exception {
        String predict = "/v1/tasks/" + LIVE + "/predict";
        assertError(http.post(predict, "{\"text\":\"hi\"}"), 404, "not in the task catalogue");

        TestAdapters.defineTasks(broker, TestAdapters.SENTIMENT, LIVE);
        Http.Answer defined = await(() -> http.post(predict, "{\"text\":\"hi\"}"),
                a -> a.body().contains("No adapter is deployed"));
        assertEquals(404, defined.status(), defined.body());
        JsonNode listed = task(LIVE);
        assertEquals("ACTIVE", listed.get("state").asText(), listed.toString());
        assertTrue(listed.get("adapterId").isNull(), listed.toString());

        Path adapter = TestAdapters.create(TestAdapters.store(dir), "live1", TestAdapters.SENTIMENT, 7);
        try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
            TestAdapters.send(producer, Topics.DEPLOYMENTS, LIVE, TestAdapters.deployment(LIVE, "live1", adapter,
                    null));
        }
        Http.Answer answered = await(() -> http.post(predict, "{\"text\":\"the refund came quickly\"}"),
                a -> a.status() == 200);
        assertEquals("live1", answered.json().get("adapterId").asText());
    }

    @Test
    @Order(2)
    void aLabelAppendedIsAcceptedInFeedbackAtOnceAndReportedAsNotYetLearned() throws Exception {
        String predictionId = http.post("/v1/tasks/" + REVIEWS + "/predict", "{\"text\":\"it was okay, I suppose\"}")
                .json().at("/predictions/0/predictionId").asText();
        String correction = Http.json(Map.of("requestId", predictionId, "correctedLabel", "mixed"));
        assertError(http.post("/v1/feedback", correction), 422, "[negative, positive]");

        reviews = TaskCatalogue.nextVersion(reviews, "alice", Instant.now(), "added labels: mixed")
                .setLabels(List.of("negative", "positive", "mixed")).build();
        TestAdapters.defineTasks(broker, reviews);
        // The prediction was made by an adapter without "mixed"; the correction is judged by the catalogue.
        Http.Answer accepted = await(() -> http.post("/v1/feedback", correction), a -> a.status() != 422);
        assertEquals(202, accepted.status(), accepted.body());
        assertEquals("mixed", accepted.json().get("correctedLabel").asText());

        JsonNode model = http.get("/v1/tasks/" + REVIEWS + "/model").json();
        assertEquals("[\"negative\",\"positive\"]", model.get("labels").toString(), "the adapter's own labels");
        assertEquals("[\"negative\",\"positive\",\"mixed\"]", model.at("/catalogue/labels").toString());
        assertEquals("[\"mixed\"]", model.get("labelsNotYetLearned").toString());
        assertEquals(2, model.at("/catalogue/version").asLong());
        assertEquals("ACTIVE", model.at("/catalogue/state").asText());
        assertEquals("[\"mixed\"]", task(REVIEWS).get("labelsNotYetLearned").toString());
    }

    @Test
    @Order(3)
    void aLongTextIsTruncatedByTheTaskPolicyAndFlaggedInsteadOfFailingTheCall() throws Exception {
        String longText = "great ".repeat(1000) + "but it broke the next day";  // 6,025 characters
        Http.Answer answer = http.post("/v1/tasks/" + REVIEWS + "/predict",
                Http.json(Map.of("texts", List.of("short and sweet", longText))));
        assertEquals(200, answer.status(), answer.body());
        assertFalse(answer.json().at("/predictions/0/truncated").asBoolean());
        assertTrue(answer.json().at("/predictions/1/truncated").asBoolean(), answer.body());
        String predictionId = answer.json().at("/predictions/1/predictionId").asText();

        // The prediction log carries the text the model read: the head ingest would keep (2,000 characters).
        List<PredictionLog> logged = TestAdapters.read(broker, Topics.PREDICTION_LOG, PredictionLog.class,
                p -> p.getRequestId().equals(predictionId), 1, ARRIVAL);
        assertEquals(TextTruncation.apply(longText, reviews.getText()).text(), logged.get(0).getText());
        assertEquals(2000, logged.get(0).getText().length());
        assertEquals(1.0, metric(http.get("/prometheus").body(), "serving_texts_truncated_total", REVIEWS));

        // Under REJECT the call is refused, naming the text over the limit, and nothing else is cut.
        reviews = TaskCatalogue.nextVersion(reviews, "alice", Instant.now(), "reject long text")
                .setText(new TextPolicy(3, 100, TextOverflow.REJECT, 0)).build();
        TestAdapters.defineTasks(broker, reviews);
        Http.Answer refused = await(() -> http.post("/v1/tasks/" + REVIEWS + "/predict",
                Http.json(Map.of("texts", List.of("short and sweet", longText)))), a -> a.status() != 200);
        assertError(refused, 422, "\"texts[1]\" (6025)");
        assertFalse(refused.body().contains("texts[0]"), refused.body());
    }

    @Test
    @Order(4)
    void aRetiredTaskAnswersGoneButStaysVisible() throws Exception {
        TaskDefinition live = TaskCatalogue.newTask(LIVE, TestAdapters.SENTIMENT, "test", Instant.now());
        TestAdapters.defineTasks(broker, TaskCatalogue.nextVersion(live, "alice", Instant.now(), "retired")
                .setState(TaskState.RETIRED).build());
        Http.Answer gone = await(() -> http.post("/v1/tasks/" + LIVE + "/predict", "{\"text\":\"hi\"}"),
                a -> a.status() != 200);
        assertError(gone, 410, "retired");
        assertError(http.post("/v1/feedback", Http.json(Map.of("requestId", "elsewhere", "task", LIVE,
                "text", "hello", "rating", 4))), 410, "retired");
        assertEquals("RETIRED", task(LIVE).get("state").asText());
        JsonNode model = http.get("/v1/tasks/" + LIVE + "/model").json();
        assertEquals("RETIRED", model.at("/catalogue/state").asText(), model.toString());
    }

    private JsonNode task(String name) {
        for (JsonNode task : http.get("/v1/tasks").json()) {
            if (task.get("task").asText().equals(name)) {
                return task;
            }
        }
        throw new AssertionError(name + " is not listed: " + http.get("/v1/tasks").body());
    }

    private static void assertError(Http.Answer answer, int status, String fragment) {
        assertEquals(status, answer.status(), answer.body());
        assertEquals(status, answer.json().get("status").asInt(), answer.body());
        assertTrue(answer.json().get("error").asText().contains(fragment), answer.body());
    }

    private static double metric(String scrape, String name, String task) {
        return Arrays.stream(scrape.split("\n"))
                .filter(l -> l.startsWith(name + "{") && l.contains("task=\"" + task + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** Calls until the answer matches: the catalogue reaches serving through the topic, a moment later. */
    private static Http.Answer await(java.util.function.Supplier<Http.Answer> call, Predicate<Http.Answer> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + ARRIVAL.toNanos();
        Http.Answer answer = call.get();
        while (!done.test(answer) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            answer = call.get();
        }
        return answer;
    }
}
