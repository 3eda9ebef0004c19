package dev.streamtune.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TopicProvisioner;
import dev.streamtune.schema.AnnotationRequest;
import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.PredictionLog;
import dev.streamtune.schema.RolloutStage;
import dev.streamtune.schema.RolloutTrial;
import dev.streamtune.schema.ServingRole;
import dev.streamtune.testsupport.KafkaBroker;
import dev.streamtune.testsupport.WithKafka;
import io.micronaut.context.ApplicationContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollouts in the running service with the real model on ONNX Runtime, driven by deployment records as the
 * evaluator writes them: a shadow never changes an answer and costs the p99 little, a canary answers its share of
 * routing keys the same way every time, and ending a rollout (rolled back, or promoted) fails no request.
 */
@WithKafka
class RolloutServingIT {

    private static final String TASK = "rollout-it";
    private static final double SHADOW_SHARE = 0.1;
    private static final int ANNOTATION_BUDGET = 3;
    private static final List<String> TEXTS = List.of(
            "the refund arrived quickly and the support team was lovely",
            "my parcel never came and nobody answers the phone",
            "the soup was cold but the staff apologised at once",
            "absolutely brilliant battery life, I charge it twice a week",
            "the screen cracked on the second day",
            "delivery was on time, packaging could be better",
            "worst customer service I have ever had",
            "the hotel room was spotless and the view stunning",
            "it stopped working after the update and the app keeps crashing",
            "good value for the price, would buy again",
            "the train was late again and the carriage was freezing",
            "friendly waiter, tasty pasta, a bit noisy");

    @TempDir
    Path dir;

    @Test
    void shadowCanaryAndTheEndOfARollout(KafkaBroker broker) throws Exception {
        new TopicProvisioner(KafkaConnection.plaintext(broker.bootstrapServers())).ensureAll();
        Path store = TestAdapters.store(dir);
        Path champion = TestAdapters.create(store, "champ", TestAdapters.SENTIMENT, 11);
        Path candidate = TestAdapters.create(store, "cand", TestAdapters.SENTIMENT, 12);
        Deployment championOnly = TestAdapters.deployment(TASK, "champ", champion, null);
        TestAdapters.defineTasks(broker, TestAdapters.SENTIMENT, TASK);
        try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
            TestAdapters.send(producer, Topics.DEPLOYMENTS, TASK, championOnly);
        }
        // Annotation requests: only the candidate disagreeing in shadow is a reason here (no margin or rarity
        // threshold), at most three per hour
        try (ApplicationContext context = TestAdapters.start(broker, dir, Map.of(
                "serving.annotation.max-margin", 0.0, "serving.annotation.rare-label-share", 0.0,
                "serving.annotation.per-hour-budget", ANNOTATION_BUDGET));
             KafkaProducer<byte[], byte[]> producer = broker.producer()) {
            Http http = new Http(TestAdapters.url(context));
            assertEquals(200, http.awaitOk("/health/readiness", Duration.ofSeconds(60)).status());
            Map<String, JsonNode> championAnswers = new HashMap<>();
            for (String text : TEXTS) {
                championAnswers.put(text, predict(http, text, null).get("predictions").get(0));
            }
            latencies(http, 100, null); // warm-up

            // Shadow: p99 with and without, for a user who pauses 10-20 ms between calls (shadow runs use the quiet
            // moments; a client that never pauses leaves none, and they wait). "Without" is the same trial at share
            // 0, so the candidate stays loaded and only the shadow runs differ; short alternating blocks so that both
            // sides see the same machine. A shared CI runner has slow spells that can inflate one side's p99 (the
            // 8th-worst call of 800), so the measurement is taken up to three times and one within 20% passes. That
            // no call waits for its shadow run is CandidateTrialsTest's: at this share, a shadow run on the request
            // path raised the p99 by only 13-15% here.
            Deployment shadowOff = withTrial(championOnly, candidate, RolloutStage.SHADOW, 0.0);
            Deployment shadow = withTrial(championOnly, candidate, RolloutStage.SHADOW, SHADOW_SHARE);
            List<String> measured = new ArrayList<>();
            boolean within = false;
            for (int attempt = 0; attempt < 3 && !within; attempt++) {
                List<Double> without = new ArrayList<>();
                List<Double> with = new ArrayList<>();
                for (int round = 0; round < 8; round++) {
                    deploy(producer, http, shadowOff);
                    without.addAll(latencies(http, 100, null));
                    deploy(producer, http, shadow);
                    with.addAll(latencies(http, 100, (text, answer) -> {
                        assertEquals("champion", answer.get("servedBy").asText());
                        JsonNode prediction = answer.get("predictions").get(0);
                        for (String field : List.of("label", "confidence", "probabilities")) {
                            assertEquals(championAnswers.get(text).get(field), prediction.get(field), text);
                        }
                    }));
                }
                double p99Without = quantile(without, 0.99);
                double p99With = quantile(with, 0.99);
                measured.add(String.format(Locale.ROOT, "p50 %.2f vs %.2f ms, p99 %.2f vs %.2f ms (%+.0f%%)",
                        quantile(with, 0.5), quantile(without, 0.5), p99With, p99Without,
                        100 * (p99With / p99Without - 1)));
                System.out.printf(Locale.ROOT, "shadow %.0f%%: %s%n", 100 * SHADOW_SHARE, measured.get(attempt));
                within = p99With <= 1.2 * p99Without;
            }
            assertTrue(within, "shadow " + SHADOW_SHARE + " with vs without, each try: " + measured);
            List<PredictionLog> shadowRows = TestAdapters.read(broker, Topics.PREDICTION_LOG, PredictionLog.class,
                    p -> p.getTask().equals(TASK) && p.getRole() == ServingRole.SHADOW, 20, Duration.ofSeconds(30));
            assertTrue(shadowRows.size() >= 20, shadowRows.size() + " shadow rows");
            for (PredictionLog row : shadowRows) {
                assertEquals("cand", row.getAdapterId());
                assertTrue(TestAdapters.SENTIMENT.contains(row.getChampionLabel()));
                assertTrue(row.getChampionConfidence() >= 0.5);
            }

            // The shadow's disagreements were sent for a human label, within the budget, each text once
            List<AnnotationRequest> requests = TestAdapters.read(broker, Topics.ANNOTATION_REQUESTS,
                    AnnotationRequest.class, r -> r.getTask().equals(TASK), ANNOTATION_BUDGET, Duration.ofSeconds(30));
            assertTrue(!requests.isEmpty(), "the two seeded adapters disagree on some of the texts");
            Map<Long, Long> perHour = new java.util.TreeMap<>();
            for (AnnotationRequest request : requests) {
                assertEquals(List.of("DISAGREEMENT"), request.getReasons());
                assertEquals("champ", request.getAdapterId());
                assertEquals("cand", request.getOtherAdapterId());
                assertTrue(!request.getOtherLabel().equals(request.getPredictedLabel()), request.toString());
                assertEquals(championAnswers.get(request.getText()).get("label").asText(), request.getPredictedLabel());
                perHour.merge(request.getRequestedAt().getEpochSecond() / 3600, 1L, Long::sum);
            }
            assertTrue(perHour.values().stream().allMatch(n -> n <= ANNOTATION_BUDGET), perHour.toString());
            assertEquals(requests.size(), requests.stream().map(AnnotationRequest::getText).distinct().count());
            // A labeller's answer comes back as feedback on the prediction id, and is counted
            AnnotationRequest asked = requests.get(0);
            Http.Answer label = http.post("/v1/feedback", "{\"requestId\": \"" + asked.getPredictionId()
                    + "\", \"task\": \"" + TASK + "\", \"text\": " + Http.JSON.valueToTree(asked.getText())
                    + ", \"predictedLabel\": \"" + asked.getPredictedLabel() + "\", \"correctedLabel\": \""
                    + asked.getOtherLabel() + "\"}");
            assertEquals(202, label.status(), label.body());
            awaitTrue(() -> http.get("/prometheus").body().lines().anyMatch(line -> line.startsWith(
                    "serving_annotations_labelled_total{task=\"" + TASK + "\"} 1.0")));

            // Canary on half the routing keys: each key always gets the same model
            deploy(producer, http, withTrial(championOnly, candidate, RolloutStage.CANARY, 0.5));
            int canary = 0;
            for (int user = 0; user < 100; user++) {
                JsonNode first = predict(http, TEXTS.get(user % TEXTS.size()), "user-" + user);
                JsonNode again = predict(http, TEXTS.get((user + 1) % TEXTS.size()), "user-" + user);
                assertEquals(first.get("adapterId"), again.get("adapterId"), "user-" + user);
                boolean onCanary = first.get("servedBy").asText().equals("canary");
                assertEquals(onCanary ? "cand" : "champ", first.get("adapterId").asText());
                canary += onCanary ? 1 : 0;
            }
            assertTrue(canary > 30 && canary < 70, canary + " of 100 users on the canary");

            // The rollout ends (rolled back), starts again and ends (promoted) under load: no call fails
            List<Integer> failures = new CopyOnWriteArrayList<>();
            List<String> answeredBy = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                Thread client = new Thread(() -> {
                    while (!stop.get()) {
                        String key = "load-" + ThreadLocalRandom.current().nextInt(1000);
                        Http.Answer answer = http.post("/v1/tasks/" + TASK + "/predict", "{\"text\": "
                                + Http.JSON.valueToTree(TEXTS.get(key.length() % TEXTS.size())) + ", \"routingKey\": \""
                                + key + "\"}");
                        if (answer.status() != 200) {
                            failures.add(answer.status());
                        } else {
                            answeredBy.add(answer.json().get("adapterId").asText());
                        }
                    }
                }, "client-" + c);
                clients.add(client);
                client.start();
            }
            Thread.sleep(1500);
            TestAdapters.send(producer, Topics.DEPLOYMENTS, TASK, Deployment.newBuilder(championOnly)
                    .setDecisionId("rolled-back").setDeployedAt(Instant.now()).build());
            awaitTrue(() -> http.get("/v1/tasks/" + TASK + "/model").json().get("rollout").isNull());
            Thread.sleep(1500);
            TestAdapters.send(producer, Topics.DEPLOYMENTS, TASK,
                    withTrial(championOnly, candidate, RolloutStage.CANARY, 0.5));
            Thread.sleep(1500);
            TestAdapters.send(producer, Topics.DEPLOYMENTS, TASK,
                    TestAdapters.deployment(TASK, "cand", candidate, "champ"));
            awaitTrue(() -> http.get("/v1/tasks/" + TASK + "/model").json().get("adapterId").asText().equals("cand"));
            Thread.sleep(500); // calls in flight at the swap were answered by the adapter they started with
            int before = answeredBy.size();
            Thread.sleep(1500);
            stop.set(true);
            for (Thread client : clients) {
                client.join();
            }
            assertTrue(failures.isEmpty(), failures.size() + " of " + (failures.size() + answeredBy.size())
                    + " calls failed: " + failures.subList(0, Math.min(10, failures.size())));
            assertTrue(answeredBy.size() > 100, answeredBy.size() + " calls answered");
            assertTrue(answeredBy.subList(before, answeredBy.size()).stream().allMatch("cand"::equals),
                    "after the promotion the candidate answers everyone");
        }
    }

    private static Deployment withTrial(Deployment champion, Path candidate, RolloutStage stage, double share) {
        return Deployment.newBuilder(champion).setDecisionId("approve-cand").setDeployedAt(Instant.now())
                .setTrial(RolloutTrial.newBuilder().setCandidateId("cand")
                        .setArtifactUri(candidate.toAbsolutePath().toUri().toString())
                        .setArtifactSha256(TestAdapters.sha256(candidate)).setStage(stage).setShare(share)
                        .setStep(stage == RolloutStage.SHADOW ? 0 : 1).setSteps(2).setStepStartedAt(Instant.now())
                        .setApprovalDecisionId("approve-cand").build()).build();
    }

    /** Sends {@code deployment} and waits until /model shows its rollout loaded (or no rollout). */
    private static void deploy(KafkaProducer<byte[], byte[]> producer, Http http, Deployment deployment)
            throws InterruptedException {
        TestAdapters.send(producer, Topics.DEPLOYMENTS, TASK, Deployment.newBuilder(deployment)
                .setDeployedAt(Instant.now()).build());
        awaitTrue(() -> {
            JsonNode rollout = http.get("/v1/tasks/" + TASK + "/model").json().get("rollout");
            RolloutTrial trial = deployment.getTrial();
            return trial == null ? rollout.isNull() : !rollout.isNull() && rollout.get("loaded").asBoolean()
                    && rollout.get("stage").asText().equals(trial.getStage().name())
                    && rollout.get("share").asDouble() == trial.getShare();
        });
    }

    private static JsonNode predict(Http http, String text, String routingKey) {
        Http.Answer answer = http.post("/v1/tasks/" + TASK + "/predict", "{\"text\": " + Http.JSON.valueToTree(text)
                + (routingKey == null ? "" : ", \"routingKey\": \"" + routingKey + "\"") + "}");
        assertEquals(200, answer.status(), answer.body());
        return answer.json();
    }

    /**
     * Milliseconds of {@code calls} sequential predict calls 10-20 ms apart (a user reading the answer), each answer
     * checked by {@code check}.
     */
    private static List<Double> latencies(Http http, int calls,
                                          java.util.function.BiConsumer<String, JsonNode> check)
            throws InterruptedException {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            Thread.sleep(10 + ThreadLocalRandom.current().nextInt(11));
            String text = TEXTS.get(i % TEXTS.size());
            long started = System.nanoTime();
            JsonNode answer = predict(http, text, null);
            millis.add((System.nanoTime() - started) / 1e6);
            if (check != null) {
                check.accept(text, answer);
            }
        }
        return millis;
    }

    private static double quantile(List<Double> values, double q) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(50);
        }
    }
}
