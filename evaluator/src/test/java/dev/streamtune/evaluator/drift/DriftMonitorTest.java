package dev.streamtune.evaluator.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;

import dev.streamtune.schema.DriftReport;
import dev.streamtune.schema.PredictionLog;
import dev.streamtune.schema.TrainingWindow;
import org.junit.jupiter.api.Test;

class DriftMonitorTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void firstWindowOfATaskHasNothingToCompareWith() {
        DriftMonitor monitor = new DriftMonitor(new DriftDetector(DriftThresholds.defaults()),
                DriftMonitor.Reference.FIRST, 0);
        assertTrue(monitor.onWindow(window("w0", 0, Map.of("pos", 5L)), T0).isEmpty());
    }

    @Test
    void firstReferenceStaysWhilePreviousReferenceFollows() {
        DriftMonitor first = new DriftMonitor(new DriftDetector(DriftThresholds.defaults()), DriftMonitor.Reference.FIRST, 0);
        DriftMonitor previous = new DriftMonitor(new DriftDetector(DriftThresholds.defaults()),
                DriftMonitor.Reference.PREVIOUS, 0);
        for (DriftMonitor monitor : new DriftMonitor[] {first, previous}) {
            monitor.onWindow(window("w0", 0, Map.of("pos", 5L)), T0);
            monitor.onWindow(window("w1", 1, Map.of("pos", 5L)), T0);
        }
        assertEquals("w0", first.onWindow(window("w2", 2, Map.of("pos", 5L)), T0).orElseThrow().getReferenceWindowId());
        assertEquals("w1", previous.onWindow(window("w2", 2, Map.of("pos", 5L)), T0).orElseThrow()
                .getReferenceWindowId());
    }

    @Test
    void windowsTooSmallToJudgeAreNeitherJudgedNorAReference() {
        DriftMonitor monitor = new DriftMonitor(new DriftDetector(DriftThresholds.defaults()),
                DriftMonitor.Reference.FIRST, 50);
        TrainingWindow tiny = TrainingWindow.newBuilder(window("tiny", 0, Map.of("pos", 5L))).setTrainCount(0)
                .setValidationCount(0).setTestCount(1).build();
        TrainingWindow big = TrainingWindow.newBuilder(window("big", 5, Map.of("pos", 5L))).setTrainCount(40)
                .setValidationCount(5).setTestCount(5).build();
        assertTrue(monitor.onWindow(tiny, T0).isEmpty(), "too small to be the reference");
        assertTrue(monitor.onWindow(big, T0).isEmpty(), "the first window big enough becomes the reference");
        assertTrue(monitor.onWindow(TrainingWindow.newBuilder(tiny).setWindowId("tiny-2").build(), T0).isEmpty(),
                "too small to judge");
        assertEquals("big", monitor.onWindow(TrainingWindow.newBuilder(big).setWindowId("big-2").build(), T0)
                .orElseThrow().getReferenceWindowId());
    }

    @Test
    void predictionsServedDuringEachWindowAreCompared() {
        DriftMonitor monitor = new DriftMonitor(new DriftDetector(DriftThresholds.defaults()),
                DriftMonitor.Reference.FIRST, 0);
        for (int i = 0; i < 20; i++) {
            monitor.onPrediction(prediction("pos", T0.plusSeconds(30)));       // during w0 (minute 0-4)
            monitor.onPrediction(prediction("neg", T0.plusSeconds(10 * 60)));  // during w1 (minute 10-14)
        }
        monitor.onWindow(window("w0", 0, Map.of("pos", 5L)), T0);
        DriftReport report = monitor.onWindow(window("w1", 10, Map.of("pos", 5L)), T0).orElseThrow();
        assertEquals(1.0, report.getScores().get(DriftThresholds.PREDICTION_JS), 1e-9);
        assertTrue(report.getExceeded().contains(DriftThresholds.PREDICTION_JS));
    }

    private static TrainingWindow window(String id, int startMinute, Map<String, Long> labels) {
        return TrainingWindow.newBuilder(DriftDetectorTest.window(id, labels, Map.of("a", 3L)))
                .setStart(T0.plusSeconds(60L * startMinute)).setEnd(T0.plusSeconds(60L * (startMinute + 4))).build();
    }

    private static PredictionLog prediction(String label, Instant at) {
        return PredictionLog.newBuilder().setRequestId("r").setTask("sentiment").setAdapterId("a").setText("x")
                .setPredictedLabel(label).setProbabilities(Map.of(label, 1.0)).setServedAt(at).setLatencyMicros(1)
                .build();
    }
}
