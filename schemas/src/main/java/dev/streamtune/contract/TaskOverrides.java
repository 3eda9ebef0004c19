package dev.streamtune.contract;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which settings a task definition may override, declared once for the writer (that refuses anything else with a
 * 4xx) and the services that apply them: the evaluator's promotion gate thresholds ({@code evaluator.gate.*}) and
 * the evaluator's rollout ({@code evaluator.rollout.*}), the trainer's hyperparameters
 * ({@code trainer.hyperparameters.*}). Settings that fix an adapter's shape (LoRA
 * rank, sequence length) are not here: every adapter of a task must fit the one before it.
 */
public final class TaskOverrides {

    /** Promotion gate thresholds, by their {@code evaluator.gate} key. */
    public static final Set<String> GATE = Set.of(
            "min-test-examples", "max-quality-drop", "min-quality-gain", "max-retention-drop", "max-bias-widening",
            "max-accuracy-gap", "max-calibration-worsening", "max-canary-disagreement",
            "max-quantisation-loss");

    /**
     * How an approved candidate is rolled out ({@code evaluator.rollout.*}, prefixed {@code rollout-}); given in a
     * definition's gate overrides beside the gate's thresholds.
     */
    public static final Set<String> ROLLOUT = Set.of(
            "rollout-first-share", "rollout-step-factor", "rollout-shadow-share", "rollout-shadow-min-pairs",
            "rollout-min-served", "rollout-max-error-increase");

    /**
     * Training hyperparameters, by their {@code trainer.hyperparameters} key, and the switch and copies of the
     * trainer's data augmentation ({@code trainer.augmentation.enabled} and {@code .copies}).
     */
    public static final Set<String> TRAINING = Set.of(
            "learning-rate", "warmup-steps", "decay", "floor-fraction", "batch-size", "gradient-accumulation",
            "epochs", "max-steps", "weight-decay", "dropout", "patience", "evaluate-every-steps",
            "validation-sample", "augmentation-enabled", "augmentation-copies", "optimizer", "momentum",
            "rmsprop-alpha", "unfreeze-every-steps");

    private TaskOverrides() {
    }

    /** The first key of either map that may not be overridden, as an error message; empty when all may. */
    public static Optional<String> unknownKey(Map<String, Double> gate, Map<String, String> training) {
        for (String key : gate.keySet()) {
            if (!GATE.contains(key) && !ROLLOUT.contains(key)) {
                java.util.Set<String> known = new java.util.TreeSet<>(GATE);
                known.addAll(ROLLOUT);
                return Optional.of("unknown gate override '" + key + "'; known: " + known);
            }
        }
        for (String key : training.keySet()) {
            if (!TRAINING.contains(key)) {
                return Optional.of("unknown training override '" + key + "'; known: "
                        + new java.util.TreeSet<>(TRAINING));
            }
        }
        return Optional.empty();
    }
}
