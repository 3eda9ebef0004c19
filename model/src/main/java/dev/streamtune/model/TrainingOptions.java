package dev.streamtune.model;

import dev.streamtune.model.optimizer.AdamW;
import dev.streamtune.model.optimizer.UpdateRule;

/**
 * How a {@link TrainingSession} updates the weights. The learning rate is not here: it is passed to every
 * {@link TrainingSession#step(float)}, so the caller owns the schedule (warmup, decay).
 *
 * @param updateRule  the optimizer method (AdamW, SGD with momentum, RMSprop, ...) with its own settings
 * @param weightDecay decoupled weight decay ({@code p -= lr wd p} before the update, as AdamW), for every method;
 *                    not applied to biases and LayerNorm weights
 * @param maxGradNorm clip the global gradient norm to this before the update; 0 disables clipping
 */
public record TrainingOptions(UpdateRule updateRule, float weightDecay, float maxGradNorm) {

    public TrainingOptions {
        if (updateRule == null || !(weightDecay >= 0 && maxGradNorm >= 0)) {
            throw new IllegalArgumentException("invalid training options " + updateRule + ", weight decay "
                    + weightDecay + ", max gradient norm " + maxGradNorm);
        }
    }

    /** AdamW with betas 0.9/0.999, eps 1e-8, weight decay 0.01, gradient norm clipped to 1 (HuggingFace Trainer's). */
    public static TrainingOptions defaults() {
        return new TrainingOptions(AdamW.defaults(), 0.01f, 1f);
    }

    public TrainingOptions withUpdateRule(UpdateRule rule) {
        return new TrainingOptions(rule, weightDecay, maxGradNorm);
    }

    public TrainingOptions withWeightDecay(float wd) {
        return new TrainingOptions(updateRule, wd, maxGradNorm);
    }

    public TrainingOptions withMaxGradNorm(float norm) {
        return new TrainingOptions(updateRule, weightDecay, norm);
    }
}
