package dev.streamtune.evaluator.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.streamtune.schema.BiasMetrics;
import dev.streamtune.schema.ClassMetrics;
import dev.streamtune.schema.ClassificationMetrics;
import dev.streamtune.schema.EvaluationReport;
import dev.streamtune.schema.LabelBias;
import dev.streamtune.schema.LabelScope;
import dev.streamtune.schema.ModelScores;
import org.junit.jupiter.api.Test;

class PromotionGateTest {

    private final PromotionGate gate = new PromotionGate(GatePolicy.defaults());

    @Test
    void anInt8CandidateMayLoseAtMostHalfAPointAgainstItselfInFp32() {
        EvaluationReport report = report(scores(0.90, 0.05), scores(0.85, 0.05), -0.005, 0.10);
        assertTrue(PromotionGate.approves(gate.checks(report, java.util.Optional.of(
                new dev.streamtune.evaluator.scoring.QuantisationCost("onnx-int8", 0.896, 0.90, 250)))));
        assertEquals(List.of("quantisation"), failed(gate.checks(report, java.util.Optional.of(
                new dev.streamtune.evaluator.scoring.QuantisationCost("onnx-int8", 0.888, 0.90, 250)))));
        assertEquals(gate.checks(report).toString(), gate.checks(report, java.util.Optional.empty()).toString(),
                "an exact engine adds no check");
    }

    @Test
    void aBetterCandidateThatKeepsOldSkillsIsApproved() {
        List<GateCheck> checks = gate.checks(report(scores(0.90, 0.05), scores(0.85, 0.05), -0.005, 0.10));
        assertTrue(PromotionGate.approves(checks), checks.toString());
        assertEquals(List.of("evidence", "quality", "forgetting", "bias:locale", "calibration", "canary"),
                checks.stream().map(GateCheck::rule).toList());
    }

    @Test
    void aCandidateThatForgetsIsRejectedForForgetting() {
        List<GateCheck> checks = gate.checks(report(scores(0.92, 0.05), scores(0.85, 0.05), -0.10, 0.10));
        assertFalse(PromotionGate.approves(checks));
        assertEquals(List.of("forgetting"), failed(checks));
    }

    @Test
    void aCandidateThatWidensASliceGapIsRejectedForBias() {
        List<GateCheck> checks = gate.checks(report(scores(0.90, 0.25), scores(0.88, 0.05), 0.0, 0.10));
        assertEquals(List.of("bias:locale"), failed(checks));
        assertTrue(checks.stream().filter(c -> !c.passed()).findFirst().orElseThrow().detail()
                .contains("accuracy gap 0.250 (champion 0.050, noise ±0.000)"));
    }

    @Test
    void aWideningWithinTheSamplingNoiseOfSmallSlicesIsNoReasonToReject() {
        // Slices of about 24 examples: a gap's standard error is about 0.08, so 0.075 of widening is noise.
        ModelScores champion = scores(0.72, 0.01);
        ModelScores candidate = scores(0.93, 0.085);
        for (var bias : List.of(champion.getBias().get(0), candidate.getBias().get(0))) {
            bias.setAccuracyGapStandardError(bias == champion.getBias().get(0) ? 0.08 : 0.06);
            bias.setEqualizedOddsStandardError(0.07); // its equalized-odds gap moved as much (scores() sets both)
        }
        List<GateCheck> checks = gate.checks(report(candidate, champion, 0.0, 0.10));
        assertEquals(List.of(), failed(checks));
        assertTrue(checks.stream().filter(c -> c.rule().equals("bias:locale")).findFirst().orElseThrow().detail()
                .contains("noise ±0.165"), checks.toString());

        // The same widening measured on large slices (standard errors near 0) is real.
        for (var bias : List.of(champion.getBias().get(0), candidate.getBias().get(0))) {
            bias.setAccuracyGapStandardError(0.005);
            bias.setEqualizedOddsStandardError(0.005);
        }
        assertEquals(List.of("bias:locale"), failed(gate.checks(report(candidate, champion, 0.0, 0.10))));
    }

    @Test
    void eachLabelsOddsWideningIsJudgedBeyondItsOwnNoise() {
        ModelScores champion = withOddsPerLabel(scores(0.88, 0.05), Map.of("a", 0.10, "b", 0.10));
        ModelScores candidate = withOddsPerLabel(scores(0.90, 0.05), Map.of("a", 0.25, "b", 0.25));
        champion.getBias().get(0).getPerLabel().get(0).setEqualizedOddsStandardError(0.07); // "a": rare, noisy
        candidate.getBias().get(0).getPerLabel().get(0).setEqualizedOddsStandardError(0.07);
        List<GateCheck> checks = gate.checks(report(candidate, champion, 0.0, 0.10));

        assertEquals(List.of("bias:locale"), failed(checks), "b widened by 0.15 with no noise to hide in");
        String detail = checks.stream().filter(c -> !c.passed()).findFirst().orElseThrow().detail();
        assertTrue(detail.contains("widest change on label 'b': 0.250 vs 0.100, noise ±0.000, 1 of 2 labels"), detail);
    }

    @Test
    void aMulticlassCandidateThatMovesUnfairnessToAnotherLabelIsRejectedNamingIt() {
        // The largest gap stays 0.30, but "b" goes from 0.10 to 0.30.
        ModelScores champion = withOddsPerLabel(scores(0.88, 0.05), Map.of("a", 0.30, "b", 0.10, "c", 0.05));
        ModelScores candidate = withOddsPerLabel(scores(0.90, 0.05), Map.of("a", 0.10, "b", 0.30, "c", 0.05));
        List<GateCheck> checks = gate.checks(report(candidate, champion, 0.0, 0.10));

        assertEquals(List.of("bias:locale"), failed(checks));
        String detail = checks.stream().filter(c -> !c.passed()).findFirst().orElseThrow().detail();
        assertTrue(detail.contains("equalized-odds gap 0.300 (champion 0.300; widest change on label 'b': 0.300 vs"
                + " 0.100, noise ±0.000, 1 of 3 labels widened beyond the limit)"), detail);
    }

    @Test
    void aMulticlassCandidateWhoseLabelsKeepTheirGapsIsApprovedWithOneCheckPerAttribute() {
        ModelScores champion = withOddsPerLabel(scores(0.88, 0.05), Map.of("a", 0.30, "b", 0.10, "c", 0.05));
        ModelScores candidate = withOddsPerLabel(scores(0.90, 0.05), Map.of("a", 0.20, "b", 0.14, "c", 0.09,
                "d", 0.05));
        List<GateCheck> checks = gate.checks(report(candidate, champion, 0.0, 0.10));

        assertTrue(PromotionGate.approves(checks), checks.toString());
        assertEquals(List.of("evidence", "quality", "forgetting", "bias:locale", "calibration", "canary"),
                checks.stream().map(GateCheck::rule).toList());
        assertTrue(checks.get(3).detail().contains("widest change on label 'd': 0.050 vs 0.000"),
                "a label the champion's report lacks had no gap: " + checks.get(3).detail());
    }

    @Test
    void aBinaryTaskIsJudgedOnItsLargestGapAsBefore() {
        // Both labels of a binary task have the same equalized-odds gap (SliceScorerTest).
        for (double gap : new double[] {0.09, 0.11}) {
            ModelScores champion = withOddsPerLabel(scores(0.88, 0.05), Map.of("pos", 0.05, "neg", 0.05));
            ModelScores candidate = withOddsPerLabel(scores(0.90, 0.05), Map.of("pos", gap, "neg", gap));
            ModelScores championWithout = scores(0.88, 0.05);
            ModelScores candidateWithout = scores(0.90, 0.05);
            candidateWithout.getBias().get(0).setEqualizedOddsDifference(gap);
            assertEquals(failed(gate.checks(report(candidateWithout, championWithout, 0.0, 0.10))),
                    failed(gate.checks(report(candidate, champion, 0.0, 0.10))), "gap " + gap);
        }
        ModelScores wider = scores(0.90, 0.05);
        wider.getBias().get(0).setEqualizedOddsDifference(0.11);
        assertEquals(List.of("bias:locale"), failed(gate.checks(report(wider, scores(0.88, 0.05), 0.0, 0.10))));
    }

    @Test
    void aChampionAlreadyOverTheCapIsNotABarAsLongAsTheGapDoesNotWiden() {
        List<GateCheck> checks = gate.checks(report(scores(0.90, 0.20), scores(0.88, 0.22), 0.0, 0.10));
        assertTrue(PromotionGate.approves(checks), checks.toString());
    }

    @Test
    void qualityMayDipWithinToleranceButNotBeyond() {
        assertTrue(PromotionGate.approves(gate.checks(report(scores(0.845, 0.05), scores(0.85, 0.05), 0.0, 0.1))));
        assertEquals(List.of("quality"), failed(gate.checks(report(scores(0.80, 0.05), scores(0.85, 0.05), 0.0, 0.1))));
    }

    @Test
    void tooMuchCanaryDisagreementAndTooLittleEvidenceAreReasonsToo() {
        EvaluationReport report = report(scores(0.90, 0.05), scores(0.85, 0.05), 0.0, 0.60);
        report.getCandidate().getTest().setExamples(5);
        assertEquals(List.of("evidence", "canary"), failed(gate.checks(report)));
    }

    @Test
    void theFirstAdapterMustBeatTheMajorityClassBaseline() {
        // Support 70/30: always answering the majority class scores 0.70.
        EvaluationReport weak = report(scores(0.65, 0.05), null, null, null);
        assertEquals(List.of("quality"), failed(gate.checks(weak)));
        EvaluationReport good = report(scores(0.80, 0.05), null, null, null);
        assertTrue(PromotionGate.approves(gate.checks(good)), gate.checks(good).toString());
    }

    @Test
    void aChampionThatNeverLearnedTheWindowsIntentsDoesNotRejectOnTheirCalibration() {
        // The reported case: a fifth-domain candidate at 0.914 on its window, the champion at 0.000 (never trained
        // on those intents) with the better ECE, retention 0.956 vs 0.960.
        ModelScores candidate = calibrated(scores(0.914, 0.05), 0.285);
        ModelScores champion = calibrated(scores(0.0, 0.05), 0.179);
        EvaluationReport report = report(candidate, champion, -0.004, 0.05);
        assertEquals(List.of("calibration"), failed(gate.checks(report)), "judged on everything");

        report.setLabelScope(scope(List.of(), candidate.getTest(), 0.70));
        List<GateCheck> checks = gate.checks(report);
        assertTrue(PromotionGate.approves(checks), checks.toString());
        assertEquals(List.of("evidence", "quality", "new-labels", "forgetting", "bias:locale:new-labels",
                "calibration", "canary"), checks.stream().map(GateCheck::rule).toList());
    }

    @Test
    void onLabelsBothLearnedTheCandidateIsStillComparedWithTheChampion() {
        EvaluationReport report = report(scores(0.90, 0.05), scores(0.90, 0.05), 0.0, 0.1);
        report.setLabelScope(scope(List.of(calibrated(scores(0.80, 0.05), 0.05), calibrated(scores(0.85, 0.05),
                0.05)), scores(0.90, 0.05).getTest(), 0.70));
        assertEquals(List.of("quality"), failed(gate.checks(report)));

        report.setLabelScope(scope(List.of(calibrated(scores(0.85, 0.05), 0.20), calibrated(scores(0.85, 0.05),
                0.05)), scores(0.90, 0.05).getTest(), 0.70));
        assertEquals(List.of("calibration"), failed(gate.checks(report)));
    }

    @Test
    void newLabelsMustBeatTheMajorityBaselineOnTheCandidateAlone() {
        EvaluationReport report = report(scores(0.60, 0.05), scores(0.50, 0.05), 0.0, 0.1);
        report.setLabelScope(scope(List.of(), scores(0.65, 0.05).getTest(), 0.70));
        List<GateCheck> checks = gate.checks(report);
        assertEquals(List.of("new-labels"), failed(checks));
        assertTrue(checks.get(2).detail().contains("accuracy 0.650 on 100 examples vs majority-class baseline 0.700"),
                checks.get(2).detail());
    }

    private static List<String> failed(List<GateCheck> checks) {
        return checks.stream().filter(c -> !c.passed()).map(GateCheck::rule).toList();
    }

    static ModelScores scores(double quality, double accuracyGap) {
        ClassificationMetrics test = ClassificationMetrics.newBuilder().setExamples(100).setAccuracy(quality)
                .setMacroF1(quality).setExpectedCalibrationError(0.05)
                .setPerClass(Map.of("pos", new ClassMetrics(quality, quality, quality, 70L),
                        "neg", new ClassMetrics(quality, quality, quality, 30L)))
                .build();
        return ModelScores.newBuilder().setTest(test)
                .setBias(List.of(new BiasMetrics("locale", accuracyGap, 0.02, accuracyGap, null, null, List.of()))).build();
    }

    /** {@code scores} with each label's equalized-odds gap, and the largest as the attribute's. */
    static ModelScores withOddsPerLabel(ModelScores scores, Map<String, Double> odds) {
        BiasMetrics bias = scores.getBias().get(0);
        bias.setPerLabel(new java.util.TreeMap<>(odds).entrySet().stream()
                .map(e -> new LabelBias(e.getKey(), 0.02, e.getValue(), 0.0)).toList());
        bias.setEqualizedOddsDifference(odds.values().stream().mapToDouble(Double::doubleValue).max().orElse(0));
        return scores;
    }

    static ModelScores calibrated(ModelScores scores, double ece) {
        scores.getTest().setExpectedCalibrationError(ece);
        return scores;
    }

    /**
     * A label scope where the champion learned "pos" and "neg" and the candidate also "new-a" and "new-b".
     *
     * @param shared candidate and champion scores on the shared labels' examples; empty when the window has none
     */
    static LabelScope scope(List<ModelScores> shared, ClassificationMetrics newLabels, double majorityBaseline) {
        ModelScores none = ModelScores.newBuilder().setTest(ClassificationMetrics.newBuilder().setExamples(0)
                .setAccuracy(0).setMacroF1(0).setExpectedCalibrationError(0).setPerClass(Map.of()).build()).build();
        return LabelScope.newBuilder().setChampionLabels(List.of("neg", "pos")).setChampionLabelsSource("adapter")
                .setCandidateLabels(List.of("neg", "new-a", "new-b", "pos")).setCandidateLabelsSource("adapter")
                .setNewLabels(List.of("new-a", "new-b")).setNewLabelMetrics(newLabels)
                .setNewLabelBias(List.of(new BiasMetrics("locale", 0.05, 0.02, 0.05, null, null, List.of())))
                .setMajorityBaseline(majorityBaseline)
                .setSharedCandidate(shared.isEmpty() ? none : shared.get(0))
                .setSharedChampion(shared.isEmpty() ? none : shared.get(1)).build();
    }

    static EvaluationReport report(ModelScores candidate, ModelScores champion, Double backwardTransfer,
                                   Double canaryDisagreement) {
        return EvaluationReport.newBuilder().setCandidateId("cand").setChampionId(champion == null ? null : "champ")
                .setTask("sentiment").setWindowId("sentiment-000001").setEvaluatedAt(Instant.EPOCH)
                .setCandidate(candidate).setChampion(champion).setBackwardTransfer(backwardTransfer)
                .setCanaryDisagreement(canaryDisagreement).build();
    }
}
