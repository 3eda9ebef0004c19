package dev.streamtune.serving.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.DriftReport;
import dev.streamtune.schema.FeedbackEvent;
import dev.streamtune.schema.PredictionLog;
import dev.streamtune.schema.PromotionDecision;
import dev.streamtune.schema.TrainingWindow;
import dev.streamtune.schema.Verdict;
import dev.streamtune.schema.WindowCloseReason;
import org.junit.jupiter.api.Test;

class DashboardHistoryTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private final DashboardHistory history = new DashboardHistory(Duration.ofMinutes(1), 3,
            Clock.fixed(T0, ZoneOffset.UTC));

    private static PredictionLog prediction(String task, String label, double confidence, Instant at) {
        return PredictionLog.newBuilder().setRequestId("r").setTask(task).setAdapterId("a").setText("t")
                .setPredictedLabel(label).setProbabilities(Map.of(label, confidence, "other", 1 - confidence))
                .setServedAt(at).setLatencyMicros(4000).build();
    }

    private static FeedbackEvent feedback(String predicted, String corrected, Integer rating, Instant at) {
        return FeedbackEvent.newBuilder().setRequestId("r").setTask("s").setModelVersion("a").setText("t")
                .setPredictedLabel(predicted).setCorrectedLabel(corrected).setRating(rating).setEventTime(at).build();
    }

    @Test
    void countsPredictionsPerBucketAndLabel() {
        history.onPrediction(prediction("s", "pos", 0.9, T0.plusSeconds(1)));
        history.onPrediction(prediction("s", "pos", 0.7, T0.plusSeconds(59)));
        history.onPrediction(prediction("s", "neg", 0.8, T0.plusSeconds(61)));
        history.onPrediction(prediction("other", "neg", 0.8, T0));
        var buckets = history.snapshot("s", id -> Optional.empty()).predictions();
        assertEquals(2, buckets.size());
        assertEquals(T0, buckets.get(0).start());
        assertEquals(Map.of("pos", 2L), buckets.get(0).labels());
        assertEquals(0.8, buckets.get(0).meanConfidence(), 1e-9);
        assertEquals(4.0, buckets.get(0).meanLatencyMillis(), 1e-9);
        assertEquals(Map.of("neg", 1L), buckets.get(1).labels());
    }

    @Test
    void keepsOnlyTheLatestBuckets() {
        for (int minute = 0; minute < 5; minute++) {
            history.onPrediction(prediction("s", "pos", 0.9, T0.plusSeconds(60L * minute)));
        }
        var buckets = history.snapshot("s", id -> Optional.empty()).predictions();
        assertEquals(List.of(T0.plusSeconds(120), T0.plusSeconds(180), T0.plusSeconds(240)),
                buckets.stream().map(TaskDashboard.PredictionBucket::start).toList());
    }

    @Test
    void accuracyFromFeedbackCountsCorrectionsAndClearRatings() {
        history.onPrediction(prediction("s", "pos", 0.9, T0));
        history.onFeedback(feedback("pos", "pos", null, T0));   // confirmed: right
        history.onFeedback(feedback("pos", "neg", null, T0));   // corrected: wrong
        history.onFeedback(feedback("pos", null, 5, T0));       // right
        history.onFeedback(feedback("pos", null, 1, T0));       // wrong
        history.onFeedback(feedback("pos", null, 3, T0));       // says nothing
        history.onFeedback(feedback("pos", null, 3, T0.plusSeconds(60)));
        var buckets = history.snapshot("s", id -> Optional.empty()).feedback();
        assertEquals(5, buckets.get(0).total());
        assertEquals(2, buckets.get(0).right());
        assertEquals(2, buckets.get(0).wrong());
        assertEquals(0.5, buckets.get(0).accuracy(), 1e-9);
        assertNull(buckets.get(1).accuracy());
    }

    @Test
    void feedbackNeverStartsTheSeriesOfATaskNothingElseNamed() {
        history.onFeedback(FeedbackEvent.newBuilder().setRequestId("r").setTask("made-up").setModelVersion("a")
                .setText("t").setPredictedLabel("pos").setCorrectedLabel("neg").setEventTime(T0).build());
        assertTrue(history.tasks().isEmpty(), history.tasks().toString());
        assertTrue(!history.knows("made-up"));
    }

    @Test
    void keepsDriftWindowsAndDeploymentsInTimeOrderJoinedWithTheirDecisions() {
        history.onDriftReport(DriftReport.newBuilder().setReportId("d2").setTask("s").setWindowId("w2")
                .setCreatedAt(T0.plusSeconds(10)).setScores(Map.of("label.js", 0.4)).setThresholds(Map.of("label.js", 0.3))
                .setExceeded(List.of("label.js")).setRetrainTriggered(true).build());
        history.onDriftReport(DriftReport.newBuilder().setReportId("d1").setTask("s").setWindowId("w1")
                .setCreatedAt(T0).setScores(Map.of("label.js", 0.1)).setThresholds(Map.of("label.js", 0.3))
                .setExceeded(List.of()).setRetrainTriggered(false).build());
        history.onWindow(TrainingWindow.newBuilder().setWindowId("w1").setTask("s").setSequence(0).setStart(T0)
                .setEnd(T0).setClosedAt(T0).setCloseReason(WindowCloseReason.COUNT).setTrainCount(8)
                .setValidationCount(1).setTestCount(1).setLabelHistogram(Map.of("pos", 6L, "neg", 4L))
                .setSliceHistogram(Map.of()).setImbalanceRatio(1.5).setLengthHistogram(List.of())
                .setLengthBucketBounds(List.of()).setMeanLength(3).setTopTokens(Map.of()).build());
        history.onDeployment(Deployment.newBuilder().setTask("s").setAdapterId("a1").setArtifactUri("file:/a1")
                .setArtifactSha256("x").setBaseModelId("b").setDecisionId("dec1").setDeployedAt(T0).build());
        history.onSwap("s", "a2", "REJECTED", "CORRUPT: bad", T0.plusSeconds(5));
        PromotionDecision decision = PromotionDecision.newBuilder().setDecisionId("dec1").setCandidateId("a1")
                .setTask("s").setVerdict(Verdict.APPROVED).setReasons(List.of("PASS quality")).setDecidedBy("gate")
                .setDecidedAt(T0).build();

        TaskDashboard dashboard = history.snapshot("s", id -> id.equals("dec1") ? Optional.of(decision)
                : Optional.empty());
        assertEquals(List.of("w1", "w2"), dashboard.drift().stream().map(TaskDashboard.DriftPoint::windowId).toList());
        assertEquals(List.of("label.js"), dashboard.drift().get(1).exceeded());
        assertEquals(10, dashboard.windows().get(0).examples());
        assertEquals(6L, dashboard.windows().get(0).labels().get("pos"));
        assertEquals("APPROVED", dashboard.deployments().get(0).verdict());
        assertEquals(List.of("PASS quality"), dashboard.deployments().get(0).reasons());
        assertEquals("REJECTED", dashboard.swaps().get(0).outcome());
        assertEquals(60_000, dashboard.bucketMillis());
        assertTrue(history.knows("s"));
        assertTrue(history.snapshot("unknown", id -> Optional.empty()).drift().isEmpty());
    }
}
