package dev.streamtune.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TopicProvisioner;
import dev.streamtune.model.BuiltInModels;
import dev.streamtune.schema.ClassificationMetrics;
import dev.streamtune.schema.EvaluationReport;
import dev.streamtune.schema.FeedbackEvent;
import dev.streamtune.schema.LabelScope;
import dev.streamtune.schema.ModelScores;
import dev.streamtune.schema.PredictionLog;
import dev.streamtune.schema.PromotionDecision;
import dev.streamtune.schema.Verdict;
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

/** The service on a real broker with the real MiniLM base model: predict, feedback, model, admin, docs, metrics. */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServingIT {

    private static final String TASK = "serving-it";
    private static final String ADMIN_TOKEN = "serving-secret";
    private static final String EVALUATOR_TOKEN = "evaluator-secret";
    /** Two clients' tokens for predict and feedback; the tests call as the first unless they say otherwise. */
    private static final String CLIENT_TOKEN = "client-a-token";
    private static final String OTHER_CLIENT_TOKEN = "client-b-token";
    private static final Duration ARRIVAL = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    private KafkaBroker broker;
    private ApplicationContext context;
    private HttpServer fakeEvaluator;
    private final List<String> evaluatorCalls = new CopyOnWriteArrayList<>();
    private Http http;
    private final List<String> predictionIds = new ArrayList<>();

    @BeforeAll
    void start(KafkaBroker broker) throws Exception {
        this.broker = broker;
        new TopicProvisioner(KafkaConnection.plaintext(broker.bootstrapServers())).ensureAll();
        Path adapter = TestAdapters.create(TestAdapters.store(dir), "s1", TestAdapters.SENTIMENT, 1);
        TestAdapters.defineTasks(broker, TestAdapters.SENTIMENT, TASK, "nobody-deployed-this");
        try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
            TestAdapters.send(producer, Topics.PROMOTION_DECISIONS, TASK, approval("d-s1", "s1"));
            TestAdapters.send(producer, Topics.PROMOTION_DECISIONS, TASK, rejection("d-s2", "s2"));
            TestAdapters.send(producer, Topics.DEPLOYMENTS, TASK,
                    TestAdapters.deployment(TASK, "s1", adapter, TestAdapters.sha256(adapter), "d-s1", null));
        }
        fakeEvaluator = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fakeEvaluator.createContext("/admin/", exchange -> {
            evaluatorCalls.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            boolean rollback = exchange.getRequestURI().getPath().endsWith("/rollback");
            byte[] body = (rollback ? "{\"error\":\"Adapter s1 is the first one for task serving-it\"}"
                    : "{\"task\":\"serving-it\",\"adapterId\":\"s1\",\"pinned\":true}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(rollback ? 409 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        fakeEvaluator.start();
        context = TestAdapters.start(broker, dir, Map.of(
                "serving.admin-token", ADMIN_TOKEN,
                "serving.evaluator-admin-token", EVALUATOR_TOKEN,
                "serving.api-tokens", CLIENT_TOKEN + "," + OTHER_CLIENT_TOKEN,
                "serving.evaluator-url", "http://127.0.0.1:" + fakeEvaluator.getAddress().getPort()));
        http = new Http(TestAdapters.url(context), CLIENT_TOKEN);
        assertEquals(200, http.awaitOk("/health/readiness", ARRIVAL).status(), "ready");
    }

    @AfterAll
    void stop() {
        if (context != null) {
            context.close();
        }
        if (fakeEvaluator != null) {
            fakeEvaluator.stop(0);
        }
    }

    private static PromotionDecision approval(String decisionId, String candidate) {
        ClassificationMetrics test = ClassificationMetrics.newBuilder().setExamples(200).setAccuracy(0.91)
                .setMacroF1(0.9).setExpectedCalibrationError(0.04).setPerClass(Map.of()).build();
        EvaluationReport report = EvaluationReport.newBuilder().setCandidateId(candidate).setTask(TASK)
                .setWindowId("serving-it-000003").setEvaluatedAt(Instant.parse("2026-03-01T10:00:00Z"))
                .setCandidate(ModelScores.newBuilder().setTest(test).build()).setBackwardTransfer(0.01).build();
        return PromotionDecision.newBuilder().setDecisionId(decisionId).setCandidateId(candidate).setTask(TASK)
                .setVerdict(Verdict.APPROVED).setReasons(List.of("PASS quality: accuracy 0.910 >= 0.000"))
                .setDecidedBy("gate").setDecidedAt(Instant.parse("2026-03-01T10:00:01Z")).setReport(report).build();
    }

    /** A candidate that learned a new label but answers it no better than always saying the majority label. */
    private static PromotionDecision rejection(String decisionId, String candidate) {
        PromotionDecision approval = approval(decisionId, candidate);
        ClassificationMetrics onNewLabel = ClassificationMetrics.newBuilder().setExamples(40).setAccuracy(0.45)
                .setMacroF1(0.3).setExpectedCalibrationError(0.2).setPerClass(Map.of()).build();
        ModelScores empty = ModelScores.newBuilder().setTest(ClassificationMetrics.newBuilder().setExamples(0)
                .setAccuracy(0).setMacroF1(0).setExpectedCalibrationError(0).setPerClass(Map.of()).build()).build();
        approval.getReport().setLabelScope(LabelScope.newBuilder().setChampionLabels(List.of("negative", "positive"))
                .setChampionLabelsSource("adapter").setCandidateLabels(List.of("mixed", "negative", "positive"))
                .setCandidateLabelsSource("adapter").setNewLabels(List.of("mixed")).setNewLabelMetrics(onNewLabel)
                .setMajorityBaseline(0.5).setSharedCandidate(empty).setSharedChampion(empty).build());
        return PromotionDecision.newBuilder(approval).setVerdict(Verdict.REJECTED).setReasons(List.of(
                "PASS quality: no test example of a label the champion learned; nothing to compare",
                "FAIL new-labels: [mixed] never learned by the champion, judged on the candidate alone: accuracy "
                        + "0.450 on 40 examples vs majority-class baseline 0.500")).build();
    }

    @Test
    @Order(1)
    void predictsOneTextWithTheDeployedAdapter() {
        Http.Answer answer = http.post("/v1/tasks/" + TASK + "/predict", "{\"text\":\"the refund came quickly\"}");
        assertEquals(200, answer.status(), answer.body());
        JsonNode body = answer.json();
        assertEquals(TASK, body.get("task").asText());
        assertEquals("s1", body.get("adapterId").asText());
        assertEquals(BuiltInModels.MINILM_ID, body.get("baseModel").asText());
        JsonNode prediction = body.get("predictions").get(0);
        assertEquals(body.get("requestId").asText(), prediction.get("predictionId").asText());
        double sum = prediction.get("probabilities").get("negative").asDouble()
                + prediction.get("probabilities").get("positive").asDouble();
        assertEquals(1.0, sum, 1e-4);
        assertTrue(TestAdapters.SENTIMENT.contains(prediction.get("label").asText()));
        assertEquals(prediction.get("probabilities").get(prediction.get("label").asText()).asDouble(),
                prediction.get("confidence").asDouble(), 1e-6);
        predictionIds.add(prediction.get("predictionId").asText());
    }

    @Test
    @Order(2)
    void predictsABatchGivingEachTextItsOwnId() {
        Http.Answer answer = http.post("/v1/tasks/" + TASK + "/predict",
                "{\"texts\":[\"great\",\"awful service, never again\",\"ok I guess\"]}");
        assertEquals(200, answer.status(), answer.body());
        JsonNode body = answer.json();
        String requestId = body.get("requestId").asText();
        assertEquals(3, body.get("predictions").size());
        for (int i = 0; i < 3; i++) {
            assertEquals(requestId + "-" + i, body.get("predictions").get(i).get("predictionId").asText());
            predictionIds.add(requestId + "-" + i);
        }
    }

    @Test
    @Order(3)
    void refusesBadRequestsWithAClearJsonError() {
        assertError(http.post("/v1/tasks/nobody-deployed-this/predict", "{\"text\":\"hi\"}"), 404,
                "No adapter is deployed for task 'nobody-deployed-this'");
        assertError(http.post("/v1/tasks/not-catalogued/predict", "{\"text\":\"hi\"}"), 404,
                "Task 'not-catalogued' is not in the task catalogue");
        assertError(http.post("/v1/tasks/" + TASK + "/predict", "{}"), 422, "\"text\"");
        assertError(http.post("/v1/tasks/" + TASK + "/predict", "{\"text\":\"a\",\"texts\":[\"b\"]}"), 422, "not both");
        assertError(http.post("/v1/tasks/" + TASK + "/predict", "{\"text\":\"   \"}"), 422, "blank");
        assertError(http.post("/v1/tasks/" + TASK + "/predict",
                Http.json(Map.of("texts", Collections.nCopies(65, "x")))), 413, "at most 64");
        // The hard limit (serving.max-text-length); a text over the task's policy but under it is truncated instead.
        assertError(http.post("/v1/tasks/" + TASK + "/predict", Http.json(Map.of("text", "x".repeat(100_001)))),
                413, "100001 characters; the limit is 100000");
        assertError(http.post("/v1/tasks/" + TASK + "/predict", "{\"text\": "), 400, "");
        assertError(http.post("/v1/tasks/bad%20name/predict", "{\"text\":\"hi\"}"), 400, "Task names");
        assertError(http.post("/v1/tasks/" + TASK + "/predict",
                "{\"texts\":\"" + "y".repeat(1_100_000) + "\"}"), 413, "");
    }

    /** Micronaut's own binding would turn these into text ("42", "true", "hi") and answer 200. */
    @Test
    @Order(3)
    void predictRefusesValuesOfTheWrongJsonTypeNamingTheField() {
        String predict = "/v1/tasks/" + TASK + "/predict";
        assertError(http.post(predict, "{\"text\":42}"), 400, "\"text\" must be a string, not a number");
        assertError(http.post(predict, "{\"text\":true}"), 400, "\"text\" must be a string, not a boolean");
        assertError(http.post(predict, "{\"text\":[\"hi\"]}"), 400, "\"text\" must be a string, not an array");
        assertError(http.post(predict, "{\"texts\":[\"fine\",7]}"), 400, "\"texts[1]\" must be a string");
        assertError(http.post(predict, "{\"txt\":\"hi\"}"), 400, "Unknown field \"txt\"");
        assertError(http.post(predict, "{\"text\":\"" + "z".repeat(900_000) + "\"}"), 413, "the limit is 100000");
    }

    private static void assertError(Http.Answer answer, int status, String messagePart) {
        assertEquals(status, answer.status(), answer.body());
        assertTrue(answer.contentType().startsWith("application/json"), answer.contentType());
        JsonNode body = answer.json();
        assertEquals(status, body.get("status").asInt(), answer.body());
        assertTrue(body.get("error").asText().contains(messagePart), answer.body());
    }

    @Test
    @Order(4)
    void feedbackBecomesAFeedbackEventCompletedFromTheServedPrediction() {
        String id = predictionIds.get(0);
        Http.Answer accepted = http.post("/v1/feedback", Http.json(Map.of("requestId", id, "correctedLabel", "negative")));
        assertEquals(202, accepted.status(), accepted.body());
        assertEquals("s1", accepted.json().get("adapterId").asText());
        Http.Answer rated = http.post("/v1/feedback", Http.json(Map.of("requestId", predictionIds.get(1), "rating", 4)));
        assertEquals(202, rated.status(), rated.body());

        assertError(http.post("/v1/feedback", Http.json(Map.of("requestId", "never-served", "rating", 2))), 404,
                "No recent prediction never-served");
        assertError(http.post("/v1/feedback", Http.json(Map.of("requestId", id, "correctedLabel", "neutral"))), 422,
                "[negative, positive]");
        assertError(http.post("/v1/feedback", Http.json(Map.of("requestId", id))), 422, "correctedLabel");
        Http.Answer fromElsewhere = http.post("/v1/feedback", Http.json(Map.of("requestId", "from-another-replica",
                "task", TASK, "text", "arrived broken", "predictedLabel", "positive", "correctedLabel", "negative")));
        assertEquals(202, fromElsewhere.status(), fromElsewhere.body());

        List<FeedbackEvent> events = TestAdapters.read(broker, Topics.FEEDBACK_EVENTS, FeedbackEvent.class,
                e -> e.getTask().equals(TASK), 3, ARRIVAL);
        assertEquals(3, events.size(), events.toString());
        FeedbackEvent correction = events.stream().filter(e -> e.getRequestId().equals(id)).findFirst().orElseThrow();
        assertEquals("the refund came quickly", correction.getText());
        assertEquals("negative", correction.getCorrectedLabel());
        assertEquals("s1", correction.getModelVersion());
        assertNotNull(correction.getPredictedLabel());
    }

    @Test
    @Order(4)
    void feedbackRefusesOversizedFieldsWrongTypesUnknownTasksAndLabelsWithAJsonMessage() {
        String id = predictionIds.get(2);
        assertError(http.post("/v1/feedback", Http.json(Map.of("requestId", "r".repeat(900_000), "rating", 4))), 413,
                "\"requestId\" has more than");
        assertError(http.post("/v1/feedback", Http.json(Map.of("requestId", "r".repeat(129), "rating", 4))), 413,
                "\"requestId\" has 129 characters; the limit is 128");
        assertError(http.post("/v1/feedback", "{\"requestId\":12345,\"rating\":4}"), 400,
                "\"requestId\" must be a string, not a number");
        assertError(http.post("/v1/feedback", "{\"requestId\":\"" + id + "\",\"rating\":\"4\"}"), 400,
                "\"rating\" must be a whole number, not a string");
        assertError(http.post("/v1/feedback", "{\"requestId\":\"" + id + "\",\"correctedLabel\":[\"negative\"]}"),
                400, "\"correctedLabel\" must be a string, not an array");
        assertError(http.post("/v1/feedback", "{\"requestId\":\"" + id + "\",\"correctedLabel\":false}"), 400,
                "not a boolean");
        assertError(http.post("/v1/feedback", Http.json(Map.of("requestId", id, "rating", 4,
                "attributes", Map.of("note", "a".repeat(900_000))))), 413, "\"attributes.note\"");
        Map<String, String> many = new java.util.HashMap<>();
        for (int i = 0; i < 21; i++) {
            many.put("k" + i, "v");
        }
        assertError(http.post("/v1/feedback", Http.json(Map.of("requestId", id, "rating", 4, "attributes", many))),
                413, "the limit is 20");

        for (int i = 0; i < 5; i++) {
            assertError(http.post("/v1/feedback", Http.json(Map.of("requestId", "elsewhere-" + i,
                    "task", "made-up-task-" + i, "text", "hello", "correctedLabel", "label-" + i))), 404,
                    "Task 'made-up-task-" + i + "' is not in the task catalogue");
        }
        assertError(http.post("/v1/feedback", Http.json(Map.of("requestId", "elsewhere", "task", TASK,
                "text", "hello", "correctedLabel", "sarcastic"))), 422, "[negative, positive]");
        assertError(http.post("/v1/feedback", Http.json(Map.of("requestId", "elsewhere", "task", TASK,
                "text", "hello", "predictedLabel", "label-9", "rating", 2))), 422, "\"predictedLabel\"");

        String scrape = http.get("/prometheus").body();
        assertTrue(!scrape.contains("made-up-task"), "no metric series for tasks nobody serves");
        assertTrue(!http.get("/v1/tasks").body().contains("made-up-task"));
    }

    @Test
    @Order(4)
    void predictAndFeedbackNeedOneOfTheClientTokensWhenTokensAreConfigured() {
        Http anonymous = http.anonymous();
        Http.Answer missing = anonymous.post("/v1/tasks/" + TASK + "/predict", "{\"text\":\"hi\"}");
        assertError(missing, 401, "bearer token");
        assertEquals("Bearer realm=\"streamtune-serving\"", missing.headers().firstValue("WWW-Authenticate")
                .orElse(null));
        assertError(anonymous.post("/v1/feedback", "{not even json"), 401, "bearer token");
        assertError(anonymous.post("/v1/feedback/", "{}"), 401, "bearer token");
        assertError(anonymous.post("/v1/tasks/" + TASK + "/predict/", "{\"text\":\"hi\"}"), 401, "bearer token");
        assertError(anonymous.post("/v1/feedback", "{}", "client-a-toke"), 401, "bearer token");
        assertError(anonymous.post("/v1/tasks/" + TASK + "/predict", "{\"text\":\"hi\"}", ADMIN_TOKEN), 401,
                "bearer token");
        Http.Answer otherClient = anonymous.post("/v1/tasks/" + TASK + "/predict", "{\"text\":\"hi\"}",
                OTHER_CLIENT_TOKEN);
        assertEquals(200, otherClient.status(), otherClient.body());
        assertEquals(200, anonymous.get("/v1/tasks/" + TASK + "/model").status(), "reading the model stays open");
    }

    @Test
    @Order(5)
    void everyServedPredictionIsLogged() {
        Set<String> wanted = new HashSet<>(predictionIds);
        List<PredictionLog> logged = TestAdapters.read(broker, Topics.PREDICTION_LOG, PredictionLog.class,
                p -> wanted.contains(p.getRequestId()), wanted.size(), ARRIVAL);
        assertEquals(wanted, new HashSet<>(logged.stream().map(PredictionLog::getRequestId).toList()));
        PredictionLog first = logged.stream().filter(p -> p.getRequestId().equals(predictionIds.get(0))).findFirst()
                .orElseThrow();
        assertEquals("the refund came quickly", first.getText());
        assertEquals("s1", first.getAdapterId());
        assertEquals(Set.of("negative", "positive"), first.getProbabilities().keySet());
        assertTrue(first.getLatencyMicros() > 0);
    }

    @Test
    @Order(6)
    void describesTheCurrentModelWithLineageAndTheApprovalThatPutItThere() {
        Http.Answer answer = http.get("/v1/tasks/" + TASK + "/model");
        assertEquals(200, answer.status(), answer.body());
        JsonNode model = answer.json();
        assertEquals("s1", model.get("adapterId").asText());
        assertEquals(BuiltInModels.MINILM_ID, model.get("baseModel").get("id").asText());
        assertEquals("s1", model.get("lineage").get("adapter").asText());
        assertEquals("w-1", model.get("lineage").get("windows").asText());
        assertEquals(List.of("negative", "positive"), List.of(model.get("labels").get(0).asText(),
                model.get("labels").get(1).asText()));
        assertNotNull(Instant.parse(model.get("servingSince").asText()));
        JsonNode approval = model.get("approval");
        assertEquals("APPROVED", approval.get("verdict").asText());
        assertEquals("d-s1", approval.get("decisionId").asText());
        assertEquals(0.91, approval.get("report").get("accuracy").asDouble(), 1e-9);
        assertEquals("serving-it-000003", approval.get("report").get("windowId").asText());
        assertTrue(approval.get("reasons").get(0).asText().startsWith("PASS quality"));
        assertTrue(model.get("lastSwapError") == null || model.get("lastSwapError").isNull());
        JsonNode rejected = model.get("lastRejection");
        assertEquals("s2", rejected.get("candidateId").asText(), model.toString());
        assertTrue(rejected.get("reasons").get(1).asText().startsWith("FAIL new-labels"), rejected.toString());
        assertEquals("mixed", rejected.get("report").get("labels").get("newLabels").get(0).asText());
        assertEquals(0.45, rejected.get("report").get("labels").get("newLabelAccuracy").asDouble(), 1e-9);

        assertError(http.get("/v1/tasks/unknown-task/model"), 404, "Task 'unknown-task' is not in the task catalogue");
        assertError(http.get("/v1/tasks/nobody-deployed-this/model"), 404, "No adapter serves task 'nobody-deployed-this'");
        JsonNode tasks = http.get("/v1/tasks").json();
        assertTrue(tasks.toString().contains("\"task\":\"" + TASK + "\""), tasks.toString());
    }

    @Test
    @Order(7)
    void adminCallsNeedTheTokenAndAreRelayedToTheEvaluator() {
        assertError(http.post("/admin/tasks/" + TASK + "/pin", ""), 401, "bearer token");
        assertError(http.post("/admin/tasks/" + TASK + "/pin", "", "wrong"), 401, "bearer token");

        Http.Answer pinned = http.post("/admin/tasks/" + TASK + "/pin", "", ADMIN_TOKEN);
        assertEquals(200, pinned.status(), pinned.body());
        assertTrue(pinned.json().get("pinned").asBoolean());
        Http.Answer rollback = http.post("/admin/tasks/" + TASK + "/rollback?by=alice", "", ADMIN_TOKEN);
        assertEquals(409, rollback.status(), rollback.body());
        assertTrue(rollback.json().get("error").asText().contains("first one"), rollback.body());

        assertEquals(List.of("POST /admin/tasks/serving-it/pin Bearer " + EVALUATOR_TOKEN,
                "POST /admin/tasks/serving-it/rollback?by=alice Bearer " + EVALUATOR_TOKEN), evaluatorCalls);
    }

    @Test
    @Order(8)
    void servesItsOpenApiDescriptionHealthAndDashboardPage() {
        Http.Answer openapi = http.get("/swagger/streamtune-serving.yml");
        assertEquals(200, openapi.status());
        for (String path : List.of("/v1/tasks/{task}/predict:", "/v1/tasks/{task}/model:", "/v1/feedback:",
                "/admin/tasks/{task}/rollback:", "/v1/tasks/{task}/dashboard:")) {
            assertTrue(openapi.body().contains(path), path + " missing from\n" + openapi.body());
        }
        JsonNode health = http.get("/health").json();
        assertEquals("UP", health.get("status").asText(), health.toString());
        assertEquals("s1", health.at("/details/serving/details/tasks/" + TASK + "/adapter").asText(), health.toString());
        assertEquals(200, http.get("/health/liveness").status());
        Http.Answer page = http.get("/dashboard");
        assertEquals(200, page.status());
        assertTrue(page.contentType().startsWith("text/html"));
        assertTrue(page.body().contains("id=\"chart-drift\""));
    }

    /** Every metric the Grafana dashboard queries must be one the service exports. */
    @Test
    @Order(9)
    void theGrafanaDashboardQueriesOnlyMetricsTheServiceExports() throws IOException {
        Http.Answer scrape = http.get("/prometheus");
        assertEquals(200, scrape.status());
        Set<String> exported = new TreeSet<>();
        for (String line : scrape.body().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                exported.add(line.split("[{ ]", 2)[0]);
            }
        }
        assertTrue(exported.contains("serving_request_latency_seconds_bucket"), exported.toString());

        Path file = Path.of("..", "deploy", "grafana", "streamtune-serving.json");
        JsonNode dashboard = Http.JSON.readTree(Files.readString(file));
        List<String> expressions = new ArrayList<>();
        dashboard.get("panels").forEach(panel -> panel.get("targets").forEach(t -> expressions.add(t.get("expr").asText())));
        dashboard.at("/annotations/list").forEach(a -> expressions.add(a.get("expr").asText()));
        dashboard.at("/templating/list").forEach(v -> {
            if (v.has("definition")) {
                expressions.add(v.get("definition").asText());
            }
        });
        assertTrue(expressions.size() >= 10, expressions.toString());
        Set<String> queried = new TreeSet<>();
        Matcher metric = Pattern.compile("\\b((?:serving|http_server)_[a-z_]+)").matcher(String.join("\n", expressions));
        while (metric.find()) {
            queried.add(metric.group(1));
        }
        Set<String> missing = new TreeSet<>(queried);
        missing.removeAll(exported);
        assertTrue(missing.isEmpty(), "queried but not exported: " + missing + "\nexported: " + exported);
        assertTrue(queried.containsAll(List.of("serving_request_latency_seconds_bucket", "serving_batch_size_bucket",
                "serving_predictions_total", "serving_adapter_swaps_total")), queried.toString());
        assertTrue(expressions.stream().anyMatch(e -> e.startsWith("histogram_quantile(0.99")), expressions.toString());
        assertNull(dashboard.get("id"), "dashboards for import carry no id");
    }
}
