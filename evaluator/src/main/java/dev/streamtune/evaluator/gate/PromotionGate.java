package dev.streamtune.evaluator.gate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.streamtune.evaluator.metrics.SliceScorer;
import dev.streamtune.schema.BiasMetrics;
import dev.streamtune.schema.ClassMetrics;
import dev.streamtune.schema.ClassificationMetrics;
import dev.streamtune.schema.EvaluationReport;
import dev.streamtune.schema.ModelScores;

/**
 * Applies a {@link GatePolicy} to an evaluation report. A candidate is approved only when every check passes; every
 * check is reported either way, so a decision explains itself.
 */
public final class PromotionGate {

    private final GatePolicy policy;

    public PromotionGate(GatePolicy policy) {
        this.policy = policy;
    }

    public List<GateCheck> checks(EvaluationReport report) {
        ModelScores candidate = report.getCandidate();
        ModelScores champion = report.getChampion();
        List<GateCheck> checks = new ArrayList<>();
        long examples = candidate.getTest().getExamples();
        checks.add(new GateCheck("evidence", examples >= policy.minTestExamples(),
                format("%d test examples (need %d)", examples, policy.minTestExamples())));
        if (champion == null) {
            checks.add(beatsMajorityBaseline(candidate.getTest()));
            checks.addAll(absoluteBias(candidate));
            return checks;
        }
        checks.add(quality(candidate.getTest(), champion.getTest()));
        checks.add(retention(report));
        checks.addAll(biasAgainstChampion(candidate, champion));
        checks.add(calibration(candidate.getTest(), champion.getTest()));
        checks.add(canary(report.getCanaryDisagreement()));
        return checks;
    }

    public static boolean approves(List<GateCheck> checks) {
        return checks.stream().allMatch(GateCheck::passed);
    }

    private GateCheck beatsMajorityBaseline(ClassificationMetrics test) {
        long majority = test.getPerClass().values().stream().mapToLong(ClassMetrics::getSupport).max().orElse(0);
        double baseline = test.getExamples() == 0 ? 1 : (double) majority / test.getExamples();
        return new GateCheck("quality", test.getAccuracy() > baseline,
                format("first adapter: accuracy %.3f vs majority-class baseline %.3f", test.getAccuracy(), baseline));
    }

    private GateCheck quality(ClassificationMetrics candidate, ClassificationMetrics champion) {
        double delta = candidate.getMacroF1() - champion.getMacroF1();
        double required = policy.minQualityGain() > 0 ? policy.minQualityGain() : -policy.maxQualityDrop();
        return new GateCheck("quality", delta >= required, format("macro-F1 %.3f vs champion %.3f (delta %+.3f, "
                + "must be at least %+.3f)", candidate.getMacroF1(), champion.getMacroF1(), delta, required));
    }

    private GateCheck retention(EvaluationReport report) {
        Double backwardTransfer = report.getBackwardTransfer();
        if (backwardTransfer == null) {
            return new GateCheck("forgetting", true, "no retention set yet (first windows)");
        }
        return new GateCheck("forgetting", backwardTransfer >= -policy.maxRetentionDrop(),
                format("retention accuracy delta %+.3f (may fall by at most %.3f)", backwardTransfer,
                        policy.maxRetentionDrop()));
    }

    private List<GateCheck> absoluteBias(ModelScores candidate) {
        return candidate.getBias().stream().map(b -> new GateCheck("bias:" + b.getAttribute(),
                b.getAccuracyGap() <= policy.maxAccuracyGap(),
                format("slice accuracy gap %.3f (at most %.3f)", b.getAccuracyGap(), policy.maxAccuracyGap())))
                .toList();
    }

    private List<GateCheck> biasAgainstChampion(ModelScores candidate, ModelScores champion) {
        Map<String, BiasMetrics> before = SliceScorer.byAttribute(champion.getBias());
        List<GateCheck> checks = new ArrayList<>();
        for (BiasMetrics after : candidate.getBias()) {
            BiasMetrics old = before.get(after.getAttribute());
            if (old == null) {
                checks.addAll(absoluteBias(ModelScores.newBuilder(candidate).setBias(List.of(after)).build()));
                continue;
            }
            double accuracyWidening = after.getAccuracyGap() - old.getAccuracyGap();
            double oddsWidening = after.getEqualizedOddsDifference() - old.getEqualizedOddsDifference();
            boolean withinCap = after.getAccuracyGap() <= Math.max(policy.maxAccuracyGap(), old.getAccuracyGap());
            boolean passed = accuracyWidening <= policy.maxBiasWidening() && oddsWidening <= policy.maxBiasWidening()
                    && withinCap;
            checks.add(new GateCheck("bias:" + after.getAttribute(), passed, format(
                    "accuracy gap %.3f (champion %.3f), equalized-odds gap %.3f (champion %.3f); may widen by %.3f,"
                            + " cap %.3f", after.getAccuracyGap(), old.getAccuracyGap(),
                    after.getEqualizedOddsDifference(), old.getEqualizedOddsDifference(), policy.maxBiasWidening(),
                    policy.maxAccuracyGap())));
        }
        return checks;
    }

    private GateCheck calibration(ClassificationMetrics candidate, ClassificationMetrics champion) {
        double worsening = candidate.getExpectedCalibrationError() - champion.getExpectedCalibrationError();
        return new GateCheck("calibration", worsening <= policy.maxCalibrationWorsening(),
                format("ECE %.3f vs champion %.3f (may worsen by %.3f)", candidate.getExpectedCalibrationError(),
                        champion.getExpectedCalibrationError(), policy.maxCalibrationWorsening()));
    }

    private GateCheck canary(Double disagreement) {
        if (disagreement == null) {
            return new GateCheck("canary", true, "no canary set configured");
        }
        return new GateCheck("canary", disagreement <= policy.maxCanaryDisagreement(),
                format("candidate and champion disagree on %.1f%% of the canary set (at most %.1f%%)",
                        100 * disagreement, 100 * policy.maxCanaryDisagreement()));
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
