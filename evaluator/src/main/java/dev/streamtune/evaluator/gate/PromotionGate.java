package dev.streamtune.evaluator.gate;

import dev.streamtune.evaluator.scoring.QuantisationCost;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Map;

import dev.streamtune.evaluator.metrics.SliceScorer;
import dev.streamtune.schema.BiasMetrics;
import dev.streamtune.schema.ClassMetrics;
import dev.streamtune.schema.ClassificationMetrics;
import dev.streamtune.schema.EvaluationReport;
import dev.streamtune.schema.LabelBias;
import dev.streamtune.schema.LabelScope;
import dev.streamtune.schema.ModelScores;

/**
 * Applies a {@link GatePolicy} to an evaluation report. A candidate is approved only when every check passes; every
 * check is reported either way, so a decision explains itself.
 *
 * <p>With a champion, the report's {@link LabelScope} says which labels the champion was trained on: quality,
 * calibration, bias, forgetting and canary compare the two models only on examples of those labels, and examples of
 * labels only the candidate learned are judged on the candidate alone, against the majority-class baseline, as a
 * first adapter is ({@code new-labels}). So a champion that cannot predict a class is never what rejects a candidate
 * that can. Reports without a scope (written before it existed) are judged on everything, as they were.
 */
public final class PromotionGate {

    /**
     * Standard errors a bias widening must clear beyond the policy's allowance: one-sided 95%. A gap is measured on
     * the slices' own few examples, so two equally fair models differ by sampling noise alone; without this, a
     * candidate 20 points more accurate was rejected over one answer in a slice of 24.
     */
    static final double NOISE_Z = 1.645;

    private final GatePolicy policy;

    public PromotionGate(GatePolicy policy) {
        this.policy = policy;
    }

    /**
     * The checks of {@code report}, plus the quantisation check when candidates are served on an approximate engine:
     * users get its answers, so it may not lose more than {@code max-quantisation-loss} against the exact adapter.
     */
    public List<GateCheck> checks(EvaluationReport report, Optional<QuantisationCost> quantisation) {
        List<GateCheck> checks = new ArrayList<>(checks(report));
        quantisation.ifPresent(cost -> checks.add(new GateCheck("quantisation",
                cost.loss() <= policy.maxQuantisationLoss() + 1e-12, format(
                "served on %s: test accuracy %.3f vs %.3f for the same adapter in fp32 (%+.1f points on %d examples; "
                        + "at most %.1f may be lost)", cost.engine(), cost.servedAccuracy(), cost.exactAccuracy(),
                -100 * cost.loss(), cost.examples(), 100 * policy.maxQuantisationLoss()))));
        return checks;
    }

    public List<GateCheck> checks(EvaluationReport report) {
        ModelScores candidate = report.getCandidate();
        ModelScores champion = report.getChampion();
        List<GateCheck> checks = new ArrayList<>();
        LabelScope scope = report.getLabelScope();
        long examples = candidate.getTest().getExamples();
        if (champion == null || scope == null) {
            checks.add(new GateCheck("evidence", examples >= policy.minTestExamples(),
                    format("%d test examples (need %d)", examples, policy.minTestExamples())));
        } else {
            checks.add(judgedEvidence(examples, scope));
        }
        if (champion == null) {
            checks.add(beatsMajorityBaseline(candidate.getTest()));
            checks.addAll(absoluteBias(candidate.getBias(), ""));
            return checks;
        }
        if (scope != null) {
            return likeWithLike(report, scope, checks);
        }
        checks.add(quality(candidate.getTest(), champion.getTest()));
        checks.add(retention(report));
        checks.addAll(biasAgainstChampion(candidate, champion));
        checks.add(calibration(candidate.getTest(), champion.getTest()));
        checks.add(canary(report.getCanaryDisagreement()));
        return checks;
    }

    /** Champion and candidate on what both were trained to answer; the candidate alone on what only it learned. */
    private List<GateCheck> likeWithLike(EvaluationReport report, LabelScope scope, List<GateCheck> checks) {
        ClassificationMetrics candidate = scope.getSharedCandidate().getTest();
        ClassificationMetrics champion = scope.getSharedChampion().getTest();
        boolean sharedTest = candidate.getExamples() > 0;
        String none = "no test example of a label the champion learned; nothing to compare";
        checks.add(sharedTest ? quality(candidate, champion) : new GateCheck("quality", true, none));
        checks.add(newLabels(scope));
        checks.add(retention(report));
        checks.addAll(biasAgainstChampion(scope.getSharedCandidate(), scope.getSharedChampion()));
        checks.addAll(absoluteBias(scope.getNewLabelBias(), ":new-labels"));
        checks.add(sharedTest ? calibration(candidate, champion) : new GateCheck("calibration", true, none));
        checks.add(canary(report.getCanaryDisagreement()));
        return checks;
    }

    /** Enough test examples, and enough that either model was trained to answer: nothing judged is no evidence. */
    private GateCheck judgedEvidence(long examples, LabelScope scope) {
        long judged = scope.getSharedCandidate().getTest().getExamples()
                + (scope.getNewLabelMetrics() == null ? 0 : scope.getNewLabelMetrics().getExamples());
        return new GateCheck("evidence", examples >= policy.minTestExamples() && judged >= policy.minTestExamples(),
                format("%d test examples, %d judged on labels a model was trained on (need %d)", examples, judged,
                        policy.minTestExamples()));
    }

    /** Labels the champion never learned: the candidate alone must beat answering the most common label. */
    private GateCheck newLabels(LabelScope scope) {
        ClassificationMetrics metrics = scope.getNewLabelMetrics();
        if (metrics == null) {
            return new GateCheck("new-labels", true, scope.getNewLabels().isEmpty()
                    ? "the candidate learned no label the champion had not"
                    : "no evaluation example yet of " + scope.getNewLabels() + " (learned by the candidate only)");
        }
        return new GateCheck("new-labels", metrics.getAccuracy() > scope.getMajorityBaseline(), format(
                "%s never learned by the champion, judged on the candidate alone: accuracy %.3f on %d examples vs "
                        + "majority-class baseline %.3f", scope.getNewLabels(), metrics.getAccuracy(),
                metrics.getExamples(), scope.getMajorityBaseline()));
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
            return new GateCheck("forgetting", true, "no earlier example to compare on (first windows, or none of a label the champion learned)");
        }
        return new GateCheck("forgetting", backwardTransfer >= -policy.maxRetentionDrop(),
                format("retention accuracy delta %+.3f (may fall by at most %.3f)", backwardTransfer,
                        policy.maxRetentionDrop()));
    }

    private List<GateCheck> absoluteBias(List<BiasMetrics> bias, String suffix) {
        return bias.stream().map(b -> {
            double noise = NOISE_Z * orZero(b.getAccuracyGapStandardError());
            return new GateCheck("bias:" + b.getAttribute() + suffix,
                    b.getAccuracyGap() - noise <= policy.maxAccuracyGap(),
                    format("slice accuracy gap %.3f ± %.3f (at most %.3f)", b.getAccuracyGap(), noise,
                            policy.maxAccuracyGap()));
        }).toList();
    }

    /**
     * One check per attribute, however many labels: the accuracy gap, and each label's equalized-odds gap against the
     * champion's gap for the same label, so unfairness moved from one label to another fails even where the largest
     * gap stays the same. A widening counts only beyond its sampling noise ({@link #NOISE_Z} standard errors of the
     * two gaps): on a few dozen examples a slice, one answer moves a rate by several points.
     */
    private List<GateCheck> biasAgainstChampion(ModelScores candidate, ModelScores champion) {
        Map<String, BiasMetrics> before = SliceScorer.byAttribute(champion.getBias());
        List<GateCheck> checks = new ArrayList<>();
        for (BiasMetrics after : candidate.getBias()) {
            BiasMetrics old = before.get(after.getAttribute());
            if (old == null) {
                checks.addAll(absoluteBias(List.of(after), ""));
                continue;
            }
            double accuracyWidening = after.getAccuracyGap() - old.getAccuracyGap();
            double accuracyNoise = NOISE_Z * Math.hypot(orZero(after.getAccuracyGapStandardError()),
                    orZero(old.getAccuracyGapStandardError()));
            OddsWidening odds = OddsWidening.of(after, old, policy.maxBiasWidening());
            boolean withinCap = after.getAccuracyGap() - NOISE_Z * orZero(after.getAccuracyGapStandardError())
                    <= Math.max(policy.maxAccuracyGap(), old.getAccuracyGap());
            boolean passed = accuracyWidening <= policy.maxBiasWidening() + accuracyNoise
                    && odds.excess() <= 0 && withinCap;
            checks.add(new GateCheck("bias:" + after.getAttribute(), passed, format(
                    "accuracy gap %.3f (champion %.3f, noise ±%.3f), equalized-odds gap %.3f (champion %.3f%s); may"
                            + " widen by %.3f beyond the noise, cap %.3f", after.getAccuracyGap(),
                    old.getAccuracyGap(), accuracyNoise, after.getEqualizedOddsDifference(),
                    old.getEqualizedOddsDifference(), odds.describe(), policy.maxBiasWidening(),
                    policy.maxAccuracyGap())));
        }
        return checks;
    }

    private static double orZero(Double standardError) {
        return standardError == null ? 0 : standardError;
    }

    /**
     * Where a candidate's equalized-odds gap widened most beyond what is allowed (the policy's widening plus the
     * sampling noise of the two gaps): the label, when both reports have each label's gap, else the largest gaps
     * (reports written before {@code perLabel}, which the gate judged so).
     *
     * @param noise  {@link #NOISE_Z} standard errors of the two gaps compared
     * @param over   labels whose gap widened by more than allowed
     * @param labels labels compared
     */
    private record OddsWidening(String label, double candidate, double champion, double noise, double allowed,
                                int over, int labels) {

        static OddsWidening of(BiasMetrics candidate, BiasMetrics champion, double allowed) {
            if (candidate.getPerLabel().isEmpty() || champion.getPerLabel().isEmpty()) {
                return new OddsWidening(null, candidate.getEqualizedOddsDifference(),
                        champion.getEqualizedOddsDifference(), NOISE_Z * Math.hypot(
                                orZero(candidate.getEqualizedOddsStandardError()),
                                orZero(champion.getEqualizedOddsStandardError())), allowed, 0, 0);
            }
            Map<String, LabelBias> before = new HashMap<>();
            champion.getPerLabel().forEach(l -> before.put(l.getLabel(), l));
            OddsWidening widest = null;
            int over = 0;
            for (LabelBias after : candidate.getPerLabel()) {
                // Missing from the champion's (both are measured on the same examples): a label no example has and
                // the champion never answered, so its rates had no spread.
                LabelBias then = before.get(after.getLabel());
                OddsWidening widening = new OddsWidening(after.getLabel(), after.getEqualizedOddsDifference(),
                        then == null ? 0 : then.getEqualizedOddsDifference(), NOISE_Z * Math.hypot(
                                after.getEqualizedOddsStandardError(),
                                then == null ? 0 : then.getEqualizedOddsStandardError()), allowed, 0, 0);
                over += widening.excess() > 0 ? 1 : 0;
                if (widest == null || widening.excess() > widest.excess()) {
                    widest = widening;
                }
            }
            return new OddsWidening(widest.label, widest.candidate, widest.champion, widest.noise, allowed, over,
                    candidate.getPerLabel().size());
        }

        /** How far the widening goes beyond what is allowed; positive fails. */
        double excess() {
            return candidate - champion - allowed - noise;
        }

        String describe() {
            if (label == null) {
                return format(", noise ±%.3f", noise);
            }
            return format("; widest change on label '%s': %.3f vs %.3f, noise ±%.3f", label, candidate, champion,
                    noise) + (over == 0 ? "" : format(", %d of %d labels widened beyond the limit", over, labels));
        }
    }

    private GateCheck calibration(ClassificationMetrics candidate, ClassificationMetrics champion) {
        double worsening = candidate.getExpectedCalibrationError() - champion.getExpectedCalibrationError();
        return new GateCheck("calibration", worsening <= policy.maxCalibrationWorsening(),
                format("ECE %.3f vs champion %.3f (may worsen by %.3f)", candidate.getExpectedCalibrationError(),
                        champion.getExpectedCalibrationError(), policy.maxCalibrationWorsening()));
    }

    private GateCheck canary(Double disagreement) {
        if (disagreement == null) {
            return new GateCheck("canary", true, "no canary example to compare on (none configured, or none of a label the champion learned)");
        }
        return new GateCheck("canary", disagreement <= policy.maxCanaryDisagreement(),
                format("candidate and champion disagree on %.1f%% of the canary set (at most %.1f%%)",
                        100 * disagreement, 100 * policy.maxCanaryDisagreement()));
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
