package dev.streamtune.model.annotation;

import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides whether one prediction is worth a human label, and why. Pure: it reads its arguments and its policy
 * only (no clock, no state of its own), so it is safe to share between threads; the task's {@link LabelShares}
 * is the caller's, and the caller also records the prediction into it (after asking, so the share is that of the
 * predictions before this one). Whether a request is then made is {@link AnnotationBudget}'s decision.
 */
public final class AnnotationSelector {

    /**
     * What the selector found for one prediction.
     *
     * @param reasons the reasons it is worth a label, in {@link AnnotationReason}'s declared order; empty: not worth one
     * @param margin  the probability of the most probable label minus that of the second; smaller is less certain
     */
    public record Selection(List<AnnotationReason> reasons, double margin) {

        /** More reasons first; among as many reasons, the less certain (smaller margin) first. */
        public static final Comparator<Selection> MOST_WORTH_FIRST = Comparator
                .comparingInt((Selection s) -> s.reasons().size()).reversed()
                .thenComparingDouble(Selection::margin);

        public Selection {
            reasons = List.copyOf(reasons);
        }

        /** Whether any reason was found. */
        public boolean worthLabel() {
            return !reasons.isEmpty();
        }
    }

    private final AnnotationPolicy policy;

    public AnnotationSelector(AnnotationPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public AnnotationPolicy policy() {
        return policy;
    }

    /**
     * The reasons and margin of one prediction.
     *
     * @param probabilities   the served probabilities by label (calibrated, as answered); at least two labels
     * @param predictedLabel  the label answered
     * @param otherModelLabel the label another model (shadow or canary candidate) answered for the same text; null
     *                        when none answered
     * @param attributes      the request's slice attributes ({@code key -> value}); empty for none
     * @param driftedSlices   slices the latest drift reports flagged, as {@code "key=value"}
     * @param shares          the task's recent predicted-label shares, not yet including this prediction
     */
    public Selection select(Map<String, Double> probabilities, String predictedLabel, String otherModelLabel,
                            Map<String, String> attributes, Set<String> driftedSlices, LabelShares shares) {
        Objects.requireNonNull(predictedLabel, "predictedLabel");
        Objects.requireNonNull(attributes, "attributes");
        Objects.requireNonNull(driftedSlices, "driftedSlices");
        Objects.requireNonNull(shares, "shares");
        double margin = margin(probabilities);
        EnumSet<AnnotationReason> reasons = EnumSet.noneOf(AnnotationReason.class);
        if (margin < policy.maxMargin()) {
            reasons.add(AnnotationReason.LOW_MARGIN);
        }
        if (otherModelLabel != null && !otherModelLabel.equals(predictedLabel)) {
            reasons.add(AnnotationReason.DISAGREEMENT);
        }
        if (!driftedSlices.isEmpty() && attributes.entrySet().stream()
                .anyMatch(a -> driftedSlices.contains(a.getKey() + "=" + a.getValue()))) {
            reasons.add(AnnotationReason.DRIFTED_SLICE);
        }
        if (shares.hasMinimumCount() && shares.share(predictedLabel) < policy.rareLabelShare()) {
            reasons.add(AnnotationReason.RARE_LABEL);
        }
        return new Selection(List.copyOf(reasons), margin); // an EnumSet iterates in declared order
    }

    /** The reasons alone, in declared order; empty when the prediction is not worth a label. */
    public List<AnnotationReason> reasons(Map<String, Double> probabilities, String predictedLabel,
                                          String otherModelLabel, Map<String, String> attributes,
                                          Set<String> driftedSlices, LabelShares shares) {
        return select(probabilities, predictedLabel, otherModelLabel, attributes, driftedSlices, shares).reasons();
    }

    /** The top probability minus the second; throws IllegalArgumentException for fewer than two labels. */
    static double margin(Map<String, Double> probabilities) {
        if (probabilities == null || probabilities.size() < 2) {
            throw new IllegalArgumentException("need probabilities for at least two labels: " + probabilities);
        }
        double first = Double.NEGATIVE_INFINITY;
        double second = Double.NEGATIVE_INFINITY;
        for (double p : probabilities.values()) {
            if (p > first) {
                second = first;
                first = p;
            } else if (p > second) {
                second = p;
            }
        }
        return first - second;
    }
}
