package dev.streamtune.trainer.schedule;

/**
 * Learning rate per optimizer step: linear warm-up to the peak, then linear or cosine decay towards
 * {@code floorFraction * peak} at the last step (or constant).
 */
public record LearningRateSchedule(double peak, int warmupSteps, int totalSteps, Decay decay, double floorFraction) {

    public enum Decay { LINEAR, COSINE, CONSTANT }

    public LearningRateSchedule {
        if (peak <= 0 || warmupSteps < 0 || totalSteps < 1 || floorFraction < 0 || floorFraction > 1) {
            throw new IllegalArgumentException("Invalid schedule: peak " + peak + ", warm-up " + warmupSteps
                    + ", total " + totalSteps + ", floor " + floorFraction);
        }
    }

    /** @param step 0-based optimizer step */
    public double at(int step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        double floor = peak * floorFraction;
        double progress = Math.min(1.0, (double) (step - warmupSteps) / Math.max(1, totalSteps - 1 - warmupSteps));
        return switch (decay) {
            case CONSTANT -> peak;
            case LINEAR -> floor + (peak - floor) * (1 - progress);
            case COSINE -> floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
        };
    }
}
