package dev.streamtune.model.annotation;

/** Why a prediction is worth a human label; {@link AnnotationSelector} lists them in this declared order. */
public enum AnnotationReason {

    /**
     * The gap between the two most probable labels is below {@link AnnotationPolicy#maxMargin()}: the model can
     * hardly tell them apart (margin sampling, a form of uncertainty sampling).
     */
    LOW_MARGIN,

    /** Another model (a shadow or canary candidate) answered a different label for the same text. */
    DISAGREEMENT,

    /** One of the request's attributes ({@code key=value}) is a slice that drift reports flagged. */
    DRIFTED_SLICE,

    /**
     * The predicted label's share among the task's recent predictions is below
     * {@link AnnotationPolicy#rareLabelShare()}: labels the model seldom answers get few labels by chance alone.
     */
    RARE_LABEL
}
