package dev.streamtune.serving.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.streamtune.model.Prediction;
import dev.streamtune.model.TextPredictor;
import dev.streamtune.schema.Deployment;
import dev.streamtune.serving.RequestRejectedException;
import dev.streamtune.serving.ServingSettings;
import dev.streamtune.serving.adapter.AdapterLoader;
import dev.streamtune.serving.adapter.AdapterRegistry;
import dev.streamtune.serving.tasks.ServedTasks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PredictionServiceTest {

    private static final List<String> LABELS = List.of("negative", "positive");

    /** Answers 0.25/0.75, except NaN for texts saying "overflow" (what huge but finite weights can produce). */
    private static final TextPredictor MODEL = new TextPredictor() {
        @Override
        public List<Prediction> predict(List<String> texts) {
            return texts.stream().map(t -> new Prediction(LABELS, t.contains("overflow")
                    ? new float[] {Float.NaN, Float.NaN} : new float[] {0.25f, 0.75f})).toList();
        }

        @Override
        public List<String> labels() {
            return LABELS;
        }

        @Override
        public Map<String, String> lineage() {
            return Map.of();
        }

        @Override
        public void close() {
        }
    };

    private final AdapterRegistry registry = new AdapterRegistry(new AdapterLoader() {
        @Override
        public TextPredictor load(Deployment deployment) {
            return MODEL;
        }

        @Override
        public String baseModelId() {
            return "base";
        }

        @Override
        public String baseModelChecksum() {
            return "00";
        }
    }, AdapterRegistry.Listener.NONE, Clock.systemUTC());
    private final List<Answer> answered = new CopyOnWriteArrayList<>();
    private final PredictionService service = new PredictionService(registry,
            new ServingSettings.Batch(8, Duration.ofMillis(1), 100, 1, 0), "base", answered::add, Clock.systemUTC());

    @AfterEach
    void close() {
        service.close();
        registry.close();
    }

    @Test
    void aNonFiniteScoreFailsThatRequestInsteadOfAnsweringNaN() throws Exception {
        registry.deploy(Deployment.newBuilder().setTask("t").setAdapterId("a1").setArtifactUri("file:///a1")
                .setArtifactSha256("00").setBaseModelId("base").setDecisionId("d1").setDeployedAt(Instant.EPOCH)
                .build());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!registry.isServing("t") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }

        Answer fine = service.predict("t", List.of("fine")).get(10, TimeUnit.SECONDS);
        assertEquals(0.75f, fine.predictions().get(0).prediction().confidence());

        var failure = assertThrows(ExecutionException.class,
                () -> service.predict("t", List.of("fine too", "overflow")).get(10, TimeUnit.SECONDS));
        RequestRejectedException rejected = assertInstanceOf(RequestRejectedException.class, failure.getCause());
        assertEquals(RequestRejectedException.Reason.MODEL_ERROR, rejected.reason());
        assertEquals(500, rejected.reason().httpStatus());
        assertTrue(rejected.getMessage().contains("non-finite"), rejected.getMessage());
        assertEquals(1, answered.size(), "the failed call is neither logged nor counted as answered");
    }

    @Test
    void eachAnswerSaysWhetherItsTextWasTruncated() throws Exception {
        registry.deploy(Deployment.newBuilder().setTask("t").setAdapterId("a1").setArtifactUri("file:///a1")
                .setArtifactSha256("00").setBaseModelId("base").setDecisionId("d1").setDeployedAt(Instant.EPOCH)
                .build());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!registry.isServing("t") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Answer answer = service.predict("t", new ServedTasks.FittedTexts(List.of("cut", "whole"), List.of(true, false)))
                .get(10, TimeUnit.SECONDS);
        assertEquals(List.of(true, false), answer.predictions().stream().map(Answer.Served::truncated).toList());
        assertEquals("cut", answer.predictions().get(0).text());
    }
}
