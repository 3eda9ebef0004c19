package dev.streamtune.model.annotation;

/**
 * When a prediction is worth a human label, and how many labels a task may ask for.
 *
 * @param maxMargin      a gap between the two most probable labels below this is {@link AnnotationReason#LOW_MARGIN};
 *                       in [0, 1], 0 turns the reason off
 * @param rareLabelShare a predicted label whose share of the task's recent predictions is below this is
 *                       {@link AnnotationReason#RARE_LABEL}; in [0, 1], 0 turns the reason off
 * @param perHourBudget  the most annotation requests one task makes per clock hour; positive
 * @param dedupeMemory   how many requested texts are remembered to refuse repeats (least recently used forgotten
 *                       first); positive
 */
public record AnnotationPolicy(double maxMargin, double rareLabelShare, int perHourBudget, int dedupeMemory) {

    public AnnotationPolicy {
        if (!(maxMargin >= 0 && maxMargin <= 1)) {
            throw new IllegalArgumentException("maxMargin must be in [0, 1]: " + maxMargin);
        }
        if (!(rareLabelShare >= 0 && rareLabelShare <= 1)) {
            throw new IllegalArgumentException("rareLabelShare must be in [0, 1]: " + rareLabelShare);
        }
        if (perHourBudget < 1) {
            throw new IllegalArgumentException("perHourBudget must be at least 1: " + perHourBudget);
        }
        if (dedupeMemory < 1) {
            throw new IllegalArgumentException("dedupeMemory must be at least 1: " + dedupeMemory);
        }
    }

    /** Margin below 0.2, label share below 5%, 60 requests per task and hour, 10,000 texts remembered. */
    public static AnnotationPolicy defaults() {
        return new AnnotationPolicy(0.2, 0.05, 60, 10_000);
    }
}
