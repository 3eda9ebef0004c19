package dev.streamtune.evaluator.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.streamtune.schema.DriftReport;
import dev.streamtune.schema.TrainingWindow;
import dev.streamtune.schema.WindowCloseReason;
import org.junit.jupiter.api.Test;

class DriftDetectorTest {

    private final DriftDetector detector = new DriftDetector(DriftThresholds.defaults());

    @Test
    void aWindowLikeItsReferenceHasNoDrift() {
        TrainingWindow reference = window("w0", Map.of("pos", 50L, "neg", 50L), Map.of("good", 30L, "bad", 28L));
        TrainingWindow current = window("w1", Map.of("pos", 48L, "neg", 52L), Map.of("good", 29L, "bad", 31L));

        DriftReport report = detector.compare(reference, current, Map.of(), Map.of(), Instant.EPOCH);

        assertEquals(List.of(), report.getExceeded());
        assertFalse(report.getRetrainTriggered());
        assertEquals("w0", report.getReferenceWindowId());
        assertFalse(report.getScores().containsKey(DriftThresholds.PREDICTION_JS), "no predictions known");
    }

    @Test
    void newVocabularyAndFlippedLabelsAreFlaggedAndTriggerRetraining() {
        TrainingWindow reference = window("w0", Map.of("pos", 90L, "neg", 10L), Map.of("good", 30L, "bad", 28L));
        TrainingWindow current = window("w1", Map.of("pos", 10L, "neg", 90L), Map.of("refund", 40L, "broken", 35L));

        DriftReport report = detector.compare(reference, current, Map.of("pos", 80L, "neg", 20L),
                Map.of("pos", 82L, "neg", 18L), Instant.EPOCH);

        assertTrue(report.getExceeded().containsAll(List.of("input.token.js", "label.js")), report.toString());
        assertFalse(report.getExceeded().contains("prediction.js"), "predictions did not move");
        assertTrue(report.getRetrainTriggered());
        assertEquals(1.0, report.getScores().get("input.token.js"), 1e-9, "disjoint vocabularies");
    }

    @Test
    void windowsOfDifferentTasksAreNotCompared() {
        TrainingWindow other = TrainingWindow.newBuilder(window("w1", Map.of("a", 1L), Map.of())).setTask("spam")
                .build();
        assertThrows(IllegalArgumentException.class, () -> detector.compare(
                window("w0", Map.of("a", 1L), Map.of()), other, Map.of(), Map.of(), Instant.EPOCH));
    }

    static TrainingWindow window(String id, Map<String, Long> labels, Map<String, Long> tokens) {
        long total = labels.values().stream().mapToLong(Long::longValue).sum();
        return TrainingWindow.newBuilder().setWindowId(id).setTask("sentiment").setSequence(0)
                .setStart(Instant.EPOCH).setEnd(Instant.EPOCH).setClosedAt(Instant.EPOCH)
                .setCloseReason(WindowCloseReason.COUNT).setTrainCount(total).setValidationCount(0).setTestCount(0)
                .setLabelHistogram(labels).setSliceHistogram(Map.of()).setImbalanceRatio(1)
                .setLengthHistogram(List.of(10L, 80L, 10L)).setLengthBucketBounds(List.of(8, 32)).setMeanLength(16)
                .setTopTokens(tokens).build();
    }
}
