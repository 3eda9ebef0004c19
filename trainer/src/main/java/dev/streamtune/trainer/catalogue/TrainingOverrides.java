package dev.streamtune.trainer.catalogue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.streamtune.contract.TaskOverrides;
import dev.streamtune.trainer.TrainerSettings.Augmentation;
import dev.streamtune.trainer.TrainerSettings.Hyperparameters;
import dev.streamtune.trainer.schedule.LearningRateSchedule;

/**
 * A task's training overrides ({@code trainingOverrides} of its definition, keys of {@link TaskOverrides#TRAINING},
 * the same names as under {@code trainer.hyperparameters}, and {@code augmentation-enabled} and
 * {@code augmentation-copies} for {@code trainer.augmentation}) applied over the trainer's own settings for that
 * task's rounds. A value that does not parse or is out of range is ignored with a reason (the configured value
 * stays): a bad override never stops training.
 */
public final class TrainingOverrides {

    /** Most augmented copies a task may ask for per example: each one is another pass over the window. */
    static final int MAX_AUGMENTATION_COPIES = 16;

    /** The hyperparameters and augmentation to use and why any override was not applied. */
    public record Outcome(Hyperparameters hyperparameters, Augmentation augmentation, Map<String, String> applied,
                          List<String> ignored) {
    }

    private TrainingOverrides() {
    }

    public static Outcome apply(Hyperparameters hp, Augmentation augmentation, Map<String, String> overrides) {
        Hyperparameters result = hp;
        Augmentation augmented = augmentation;
        Map<String, String> applied = new TreeMap<>();
        List<String> ignored = new ArrayList<>();
        for (var entry : new TreeMap<>(overrides).entrySet()) {
            String key = entry.getKey();
            String value = entry.getValue() == null ? "" : entry.getValue().strip();
            try {
                if (key.startsWith("augmentation-") && TaskOverrides.TRAINING.contains(key)) {
                    augmented = with(augmented, key, value);
                } else {
                    result = with(result, key, value);
                }
                applied.put(key, value);
            } catch (IllegalArgumentException e) {
                ignored.add(key + "=" + value + " ignored: " + e.getMessage());
            }
        }
        return new Outcome(result, augmented, applied, ignored);
    }

    private static Augmentation with(Augmentation a, String key, String value) {
        return switch (key) {
            case "augmentation-enabled" -> a.with(bool(value), a.copies());
            case "augmentation-copies" -> {
                int copies = atLeast(value, 0);
                if (copies > MAX_AUGMENTATION_COPIES) {
                    throw new IllegalArgumentException("must be at most " + MAX_AUGMENTATION_COPIES);
                }
                yield a.with(a.enabled(), copies);
            }
            default -> throw new IllegalArgumentException("no such augmentation setting");
        };
    }

    private static boolean bool(String value) {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("not true or false");
    }

    private static Hyperparameters with(Hyperparameters h, String key, String value) {
        if (!TaskOverrides.TRAINING.contains(key)) {
            throw new IllegalArgumentException("not a training override (" + TaskOverrides.TRAINING + ")");
        }
        double lr = h.learningRate();
        int warmup = h.warmupSteps();
        LearningRateSchedule.Decay decay = h.decay();
        double floor = h.floorFraction();
        int batch = h.batchSize();
        int accumulation = h.gradientAccumulation();
        int epochs = h.epochs();
        int maxSteps = h.maxSteps();
        double weightDecay = h.weightDecay();
        float dropout = h.dropout();
        int patience = h.patience();
        int evaluateEvery = h.evaluateEverySteps();
        int validationSample = h.validationSample();
        String optimizer = h.optimizer();
        double momentum = h.momentum();
        double rmspropAlpha = h.rmspropAlpha();
        int unfreezeEvery = h.unfreezeEverySteps();
        switch (key) {
            case "learning-rate" -> lr = positive(value);
            case "warmup-steps" -> warmup = atLeast(value, 0);
            case "decay" -> decay = decay(value);
            case "floor-fraction" -> floor = fraction(value, true);
            case "batch-size" -> batch = atLeast(value, 1);
            case "gradient-accumulation" -> accumulation = atLeast(value, 1);
            case "epochs" -> epochs = atLeast(value, 1);
            case "max-steps" -> maxSteps = atLeast(value, 1);
            case "weight-decay" -> weightDecay = nonNegative(value);
            case "dropout" -> dropout = (float) fraction(value, false);
            case "patience" -> patience = atLeast(value, 1);
            case "evaluate-every-steps" -> evaluateEvery = atLeast(value, 1);
            case "validation-sample" -> validationSample = atLeast(value, 0);
            case "optimizer" -> optimizer = optimizer(value);
            case "momentum" -> momentum = fraction(value, false);
            case "rmsprop-alpha" -> rmspropAlpha = fraction(value, false);
            case "unfreeze-every-steps" -> unfreezeEvery = atLeast(value, 0);
            default -> throw new IllegalArgumentException("no such hyperparameter");
        }
        return new Hyperparameters(lr, warmup, decay, floor, batch, accumulation, epochs, maxSteps, weightDecay,
                dropout, h.loraRank(), h.loraAlpha(), h.loraTargets(), h.loraFirstLayer(), h.trainableTopLayers(),
                h.maxSequenceLength(), h.seed(), patience, evaluateEvery, validationSample, h.peftMethod(),
                h.peftSize(), optimizer, momentum, rmspropAlpha, unfreezeEvery);
    }

    private static double number(String value) {
        try {
            double d = Double.parseDouble(value);
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("not a finite number");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number");
        }
    }

    private static double positive(String value) {
        double d = number(value);
        if (d <= 0) {
            throw new IllegalArgumentException("must be above 0");
        }
        return d;
    }

    private static double nonNegative(String value) {
        double d = number(value);
        if (d < 0) {
            throw new IllegalArgumentException("must be at least 0");
        }
        return d;
    }

    /** [0, 1] when {@code closed}, else [0, 1) (dropout). */
    private static double fraction(String value, boolean closed) {
        double d = number(value);
        if (d < 0 || (closed ? d > 1 : d >= 1)) {
            throw new IllegalArgumentException("must be in [0, 1" + (closed ? "]" : ")"));
        }
        return d;
    }

    private static int atLeast(String value, int min) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number");
        }
        if (n < min) {
            throw new IllegalArgumentException("must be at least " + min);
        }
        return n;
    }

    private static String optimizer(String value) {
        String name = value.toLowerCase(Locale.ROOT);
        if (!Hyperparameters.OPTIMIZERS.containsKey(name)) {
            throw new IllegalArgumentException("not one of " + new java.util.TreeSet<>(
                    Hyperparameters.OPTIMIZERS.keySet()));
        }
        return name;
    }

    private static LearningRateSchedule.Decay decay(String value) {
        try {
            return LearningRateSchedule.Decay.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not one of " + java.util.Arrays.toString(
                    LearningRateSchedule.Decay.values()));
        }
    }
}
