package dev.streamtune.model;

/**
 * AdamW settings. The learning rate is not here: it is passed to every {@link TrainingSession#step(float)}, so
 * the caller owns the schedule (warmup, decay).
 *
 * @param beta1 first-moment decay
 * @param beta2 second-moment decay
 * @param epsilon added to the root of the second moment
 * @param weightDecay decoupled weight decay (AdamW); not applied to biases and LayerNorm weights
 * @param maxGradNorm clip the global gradient norm to this before the update; 0 disables clipping
 */
public record TrainingOptions(float beta1, float beta2, float epsilon, float weightDecay, float maxGradNorm) {

    public TrainingOptions {
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && epsilon > 0 && weightDecay >= 0
                && maxGradNorm >= 0)) {
            throw new IllegalArgumentException("invalid AdamW options " + beta1 + ", " + beta2 + ", " + epsilon
                    + ", " + weightDecay + ", " + maxGradNorm);
        }
    }

    /** betas 0.9/0.999, eps 1e-8, weight decay 0.01, gradient norm clipped to 1 (HuggingFace Trainer's). */
    public static TrainingOptions defaults() {
        return new TrainingOptions(0.9f, 0.999f, 1e-8f, 0.01f, 1f);
    }

    public TrainingOptions withWeightDecay(float wd) {
        return new TrainingOptions(beta1, beta2, epsilon, wd, maxGradNorm);
    }

    public TrainingOptions withMaxGradNorm(float norm) {
        return new TrainingOptions(beta1, beta2, epsilon, weightDecay, norm);
    }
}
