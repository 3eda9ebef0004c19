package dev.streamtune.evaluator.gate;

import static dev.streamtune.evaluator.gate.ClassIncrementalStream.Adapter.answering;
import static dev.streamtune.evaluator.gate.ClassIncrementalStream.WINDOWS;
import static dev.streamtune.evaluator.gate.ClassIncrementalStream.labelsBefore;
import static dev.streamtune.evaluator.gate.ClassIncrementalStream.labelsThrough;
import static dev.streamtune.evaluator.gate.ClassIncrementalStream.newLabels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import dev.streamtune.evaluator.gate.ClassIncrementalStream.Adapter;
import dev.streamtune.schema.EvaluationReport;
import org.junit.jupiter.api.Test;

/**
 * Evaluator and gate on a class-incremental stream (six windows, two new labels each, all twelve labels declared up
 * front): every champion has never seen the window's new labels, so it scores zero on them, whatever its ECE there.
 */
class ClassIncrementalGateTest {

    private final PromotionGate gate = new PromotionGate(GatePolicy.defaults());
    private final ClassIncrementalStream pure = new ClassIncrementalStream(20, 0);
    private final ClassIncrementalStream mixed = new ClassIncrementalStream(20, 4);

    /**
     * What the trainer produces for window k: old labels kept (replay), the two new ones learned well but
     * underconfident (accuracy 0.9 at confidence 0.45, so ECE on them is about 0.5: far worse than a champion that
     * answers them wrongly at confidence 0.15).
     */
    private static Adapter good(int window) {
        return answering(labelsThrough(window), 0.95, 0.95).answers(newLabels(window), 0.9, 0.45);
    }

    @Test
    void everyGoodCandidateOfAClassIncrementalStreamIsApproved() {
        for (ClassIncrementalStream stream : List.of(pure, mixed)) {
            Adapter champion = good(0);
            assertApproved(stream.evaluate(0, champion, null), "first adapter");
            for (int window = 1; window < WINDOWS; window++) {
                Adapter candidate = good(window);
                EvaluationReport report = stream.evaluate(window, candidate, champion);
                assertApproved(report, "window " + window);
                assertEquals(newLabels(window), report.getLabelScope().getNewLabels());
                assertEquals(0.9, report.getLabelScope().getNewLabelMetrics().getAccuracy(), 1e-9);
                champion = candidate;
            }
        }
    }

    @Test
    void newLabelCalibrationWorseThanAChampionThatNeverPredictsThemIsNoReasonToReject() {
        EvaluationReport report = pure.evaluate(4, good(4), good(3));
        double candidateEce = report.getCandidate().getTest().getExpectedCalibrationError();
        double championEce = report.getChampion().getTest().getExpectedCalibrationError();
        assertTrue(candidateEce > championEce + 0.3, candidateEce + " vs " + championEce);
        assertEquals(0.0, report.getChampion().getTest().getAccuracy(), 1e-9, "the champion never learned them");
        assertApproved(report, "like with like");

        // Judged on everything, as before labels were scoped, the same report was rejected for calibration alone.
        report.setLabelScope(null);
        assertEquals(List.of("calibration"), failed(gate.checks(report)));
    }

    @Test
    void aChampionsAdapterFileWithoutLearnedLabelsFallsBackToItsWindowsLabels() {
        Adapter olderChampion = good(3).recordingNothing();
        EvaluationReport report = pure.evaluate(4, good(4), olderChampion);
        assertEquals("windows", report.getLabelScope().getChampionLabelsSource());
        assertEquals(labelsThrough(3), report.getLabelScope().getChampionLabels());
        assertApproved(report, "fallback");
    }

    @Test
    void aCandidateThatForgetsOldLabelsIsRejectedForForgetting() {
        Adapter forgetful = answering(labelsThrough(5), 0.6, 0.95).answers(newLabels(5), 0.9, 0.9);
        assertEquals(List.of("forgetting"), failed(gate.checks(pure.evaluate(5, forgetful, good(4)))));
    }

    @Test
    void aCandidateLessAccurateOnSharedLabelsIsRejectedForQuality() {
        Adapter worse = answering(labelsThrough(5), 0.6, 0.95).answers(newLabels(5), 0.9, 0.9);
        assertTrue(failed(gate.checks(mixed.evaluate(5, worse, good(4)))).contains("quality"));
    }

    @Test
    void aCandidateWorseCalibratedOnSharedLabelsIsRejectedForCalibration() {
        Adapter unsure = answering(labelsThrough(5), 0.95, 0.55).answers(newLabels(5), 0.9, 0.9);
        assertEquals(List.of("calibration"), failed(gate.checks(mixed.evaluate(5, unsure, good(4)))));
    }

    @Test
    void aCandidateThatAnswersOnlyOneOfTheNewLabelsDoesNotBeatTheMajorityBaseline() {
        Adapter half = answering(labelsBefore(5), 0.95, 0.95).answers(newLabels(5).subList(0, 1), 0.9, 0.9)
                .recording(labelsThrough(5));
        List<GateCheck> checks = gate.checks(pure.evaluate(5, half, good(4)));
        assertEquals(List.of("new-labels"), failed(checks));
        assertTrue(checks.stream().filter(c -> c.rule().equals("new-labels")).findFirst().orElseThrow().detail()
                .contains("accuracy 0.450 on 40 examples vs majority-class baseline 0.500"), checks.toString());
    }

    @Test
    void aCandidateThatLearnedNoneOfTheWindowsLabelsHasNothingJudgedAndIsRejected() {
        EvaluationReport report = pure.evaluate(5, good(4), good(4));
        assertEquals(newLabels(5), report.getLabelScope().getUnjudgedLabels());
        assertEquals(List.of("evidence"), failed(gate.checks(report)));
    }

    private void assertApproved(EvaluationReport report, String what) {
        List<GateCheck> checks = gate.checks(report);
        assertTrue(PromotionGate.approves(checks), what + ": " + checks);
    }

    private static List<String> failed(List<GateCheck> checks) {
        return checks.stream().filter(c -> !c.passed()).map(GateCheck::rule).toList();
    }
}
