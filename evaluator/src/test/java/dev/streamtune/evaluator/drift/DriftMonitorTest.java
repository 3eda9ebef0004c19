package dev.streamtune.evaluator.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.DriftReport;
import dev.streamtune.schema.ExampleOrigin;
import dev.streamtune.schema.FeedbackEvent;
import dev.streamtune.schema.PerformanceEstimate;
import dev.streamtune.schema.PredictionLog;
import dev.streamtune.schema.Split;
import dev.streamtune.schema.TrainingWindow;
import dev.streamtune.schema.WindowCloseReason;
import org.junit.jupiter.api.Test;

class DriftMonitorTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final DriftPolicy POLICY = new DriftPolicy(0.01, 999, 300, 5, 30, 8, 2, 0.55, 0.02);

    private static DriftMonitor monitor(DriftMonitor.Reference reference) {
        return new DriftMonitor(new DriftDetector(POLICY, DriftSamples.bagOfWords()), reference);
    }

    /** Window {@code sequence} spans minutes [10 * sequence, 10 * sequence + 9] after T0. */
    private static TrainingWindow window(int sequence, long examples) {
        Instant start = T0.plus(Duration.ofMinutes(10L * sequence));
        return TrainingWindow.newBuilder().setWindowId("w" + sequence).setTask("t").setSequence(sequence)
                .setStart(start).setEnd(start.plus(Duration.ofMinutes(9))).setClosedAt(start.plus(Duration.ofMinutes(9)))
                .setCloseReason(WindowCloseReason.COUNT).setTrainCount(examples).setValidationCount(0)
                .setTestCount(0).setLabelHistogram(Map.of()).setSliceHistogram(Map.of()).setImbalanceRatio(1)
                .setLengthHistogram(List.of()).setLengthBucketBounds(List.of()).setMeanLength(0)
                .setTopTokens(Map.of()).build();
    }

    private static void examples(DriftMonitor monitor, int sequence, int n, String topicWord) {
        for (int i = 0; i < n; i++) {
            monitor.onExample(CleanExample.newBuilder().setId("e" + sequence + "-" + i).setTask("t")
                    .setText("the " + topicWord + " was good number " + i).setLabel(i % 2 == 0 ? "pos" : "neg")
                    .setSource("s").setOrigin(ExampleOrigin.LABELLED).setEventTime(T0).setAttributes(Map.of())
                    .setWeight(1.0).setSplit(Split.TRAIN).setContentHash("h" + sequence + "-" + i)
                    .setWindowId("w" + sequence).build());
        }
    }

    private static PredictionLog prediction(String id, int minute, double confidence) {
        return PredictionLog.newBuilder().setRequestId(id).setTask("t").setAdapterId("a1").setText("served " + id)
                .setPredictedLabel("pos").setProbabilities(Map.of("pos", confidence, "neg", 1 - confidence))
                .setServedAt(T0.plus(Duration.ofMinutes(minute))).setLatencyMicros(100).build();
    }

    private static FeedbackEvent feedback(String task, int minute, String corrected) {
        return FeedbackEvent.newBuilder().setRequestId("f").setTask(task).setModelVersion("a1").setText("x")
                .setPredictedLabel("pos").setCorrectedLabel(corrected).setEventTime(T0.plus(Duration.ofMinutes(minute)))
                .build();
    }

    @Test
    void aWindowWaitsForItsExamplesOrThePatienceThenIsComparedWithTheFirstWindow() {
        DriftMonitor monitor = monitor(DriftMonitor.Reference.FIRST);
        examples(monitor, 0, 40, "phone");
        monitor.onWindow(window(0, 40), T0);
        assertEquals(List.of(), monitor.ready(T0, PATIENCE), "the first window is the reference");

        examples(monitor, 1, 20, "pizza");
        monitor.onWindow(window(1, 40), T0);
        assertEquals(List.of(), monitor.ready(T0, PATIENCE), "20 of its 40 examples arrived");
        assertEquals(List.of("w1"), monitor.ready(T0.plus(PATIENCE), PATIENCE), "waited long enough");
        examples(monitor, 1, 40, "pizza");
        assertEquals(List.of("w1"), monitor.ready(T0, PATIENCE), "all arrived");

        DriftReport report = monitor.report("w1", T0);
        assertEquals("w0", report.getReferenceWindowId());
        assertTrue(report.getExceeded().contains(TokenJs.NAME), report.toString());
        monitor.onReport(report);
        assertEquals(List.of(), monitor.ready(T0.plus(PATIENCE), PATIENCE));
        assertThrows(IllegalArgumentException.class, () -> monitor.report("w1", T0));

        examples(monitor, 2, 40, "phone");
        monitor.onWindow(window(2, 40), T0);
        assertEquals("w0", monitor.report("w2", T0).getReferenceWindowId());
    }

    @Test
    void withThePreviousReferenceEachWindowIsComparedWithTheOneBefore() {
        DriftMonitor monitor = monitor(DriftMonitor.Reference.PREVIOUS);
        for (int w = 0; w < 3; w++) {
            examples(monitor, w, 10, "phone");
            monitor.onWindow(window(w, 10), T0);
        }
        assertEquals("w0", monitor.report("w1", T0).getReferenceWindowId());
        assertEquals("w1", monitor.report("w2", T0).getReferenceWindowId());
    }

    @Test
    void aReplayWithThePreviousReferenceEndsWithTheSameReferenceAndItsSample() {
        DriftMonitor monitor = monitor(DriftMonitor.Reference.PREVIOUS);
        for (int w = 0; w < 3; w++) {
            examples(monitor, w, 10, w < 2 ? "phone" : "pizza");
            monitor.onWindow(window(w, 10), T0);
        }
        // w1 and w2 were reported before the restart; their reports are read back after their manifests
        monitor.onReport(monitor.report("w1", T0));
        monitor.onReport(monitor.report("w2", T0));
        examples(monitor, 3, 10, "pizza");
        monitor.onWindow(window(3, 10), T0);

        DriftReport report = monitor.report("w3", T0);
        assertEquals("w2", report.getReferenceWindowId());
        assertEquals(10L, report.getSampleSizes().get("reference"), "the reference's sample was kept");
        assertTrue(report.getExceeded().isEmpty(), "w2 and w3 are both about pizza: " + report.getExceeded());
    }

    @Test
    void aReportWaitsForTheWindowsCandidateToBeJudgedOrForTheTrainingWait() {
        DriftMonitor monitor = monitor(DriftMonitor.Reference.FIRST);
        monitor.onWindow(window(0, 10), T0);
        monitor.onWindow(window(1, 10), T0);
        Duration trainingWait = Duration.ofMinutes(5);
        Instant later = T0.plus(PATIENCE);
        assertEquals(List.of(), monitor.ready(later, PATIENCE, id -> false, trainingWait), "the trainer may be on it");
        assertEquals(List.of("w1"), monitor.ready(later, PATIENCE, "w1"::equals, trainingWait), "its candidate judged");
        assertEquals(List.of("w1"), monitor.ready(T0.plus(trainingWait), PATIENCE, id -> false, trainingWait),
                "no candidate within the wait (a window the trainer skipped)");
    }

    @Test
    void anAbandonedWindowIsNotReadyAgainAndLaterWindowsGoOn() {
        DriftMonitor monitor = monitor(DriftMonitor.Reference.FIRST);
        monitor.onWindow(window(0, 10), T0);
        monitor.onWindow(window(1, 10), T0);
        monitor.abandon("w1");
        monitor.onWindow(window(2, 10), T0);
        assertEquals(List.of("w2"), monitor.ready(T0.plus(PATIENCE), PATIENCE));
    }

    @Test
    void windowsTooSmallToJudgeAreNeitherJudgedNorAReference() {
        DriftMonitor monitor = monitor(DriftMonitor.Reference.FIRST);
        monitor.onWindow(window(0, 3), T0);
        monitor.onWindow(window(1, 10), T0);
        monitor.onWindow(window(2, 10), T0);
        assertEquals(List.of("w2"), monitor.ready(T0.plus(PATIENCE), PATIENCE), "w1 is the first reference");
    }

    @Test
    void aReportAlreadyPublishedBeforeItsWindowIsReadIsNotMadeAgain() {
        DriftMonitor monitor = monitor(DriftMonitor.Reference.FIRST);
        monitor.onWindow(window(0, 10), T0);
        monitor.onReport(DriftReport.newBuilder().setReportId("r").setTask("t").setWindowId("w1")
                .setCreatedAt(T0).setScores(Map.of()).setThresholds(Map.of()).setExceeded(List.of())
                .setRetrainTriggered(false).build());
        monitor.onWindow(window(1, 10), T0);
        assertEquals(List.of(), monitor.ready(T0.plus(PATIENCE), PATIENCE));
    }

    @Test
    void thePerformanceEstimateAndServedSampleCoverTheWindowsMinutesOnly() {
        DriftMonitor monitor = monitor(DriftMonitor.Reference.FIRST);
        examples(monitor, 0, 10, "phone");
        monitor.onPrediction(prediction("before", 5, 0.99));     // during w0, logged before it closed
        monitor.onWindow(window(0, 10), T0);
        examples(monitor, 1, 10, "phone");
        monitor.onPrediction(prediction("p1", 11, 0.9));
        monitor.onPrediction(prediction("p2", 12, 0.7));
        monitor.onPrediction(prediction("p2", 12, 0.7));         // the same request logged twice: one sample item
        monitor.onFeedback(feedback("t", 12, "neg"));            // wrong
        monitor.onFeedback(feedback("t", 11, "pos"));            // right: the correction repeats the answer
        monitor.onFeedback(feedback("t", 11, null));             // says nothing
        monitor.onFeedback(feedback("t", 13, "neg"));            // a minute nothing was served in: not counted
        monitor.onFeedback(feedback("made-up", 12, "neg"));      // a task nothing was served for: ignored
        monitor.onFeedback(feedback("t", 100_000, "neg"));       // far ahead: must not prune the real minutes
        monitor.onWindow(window(1, 10), T0);

        DriftReport report = monitor.report("w1", T0);
        PerformanceEstimate performance = report.getPerformance();
        assertEquals(3, performance.getServedPredictions(), "every logged prediction counts in the estimate");
        assertEquals((0.9 + 0.7 + 0.7) / 3, performance.getEstimatedAccuracy(), 1e-9);
        assertEquals(2, performance.getJudgedByFeedback());
        assertEquals(0.5, performance.getFeedbackAccuracy(), 1e-9);
        assertEquals(2L, report.getSampleSizes().get("served"), "p1 and p2 once each");
        assertEquals(1L, report.getSampleSizes().get("reference.served"));
    }

    @Test
    void aWindowWithoutTrafficHasNoEstimate() {
        DriftMonitor monitor = monitor(DriftMonitor.Reference.FIRST);
        monitor.onWindow(window(0, 10), T0);
        monitor.onWindow(window(1, 10), T0);
        PerformanceEstimate performance = monitor.report("w1", T0).getPerformance();
        assertEquals(0, performance.getServedPredictions());
        assertNull(performance.getEstimatedAccuracy());
        assertNull(performance.getFeedbackAccuracy());
    }
}
