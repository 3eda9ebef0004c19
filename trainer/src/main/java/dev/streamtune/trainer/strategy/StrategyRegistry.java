package dev.streamtune.trainer.strategy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.streamtune.trainer.TrainerSettings;

/**
 * The continual-learning methods {@code trainer.strategies} may name, each with the factory that builds a task's
 * instance from the trainer's settings and restores its state from the task's checkpoint directory. Adding a
 * method: its class (implementing {@link ContinualStrategy}), its test, and one line here.
 */
public final class StrategyRegistry {

    /** Builds a task's strategy, with its state as saved in {@code taskDirectory} (or empty when nothing is). */
    @FunctionalInterface
    public interface Factory {
        ContinualStrategy create(TrainerSettings settings, Path taskDirectory) throws IOException;
    }

    private static final Map<String, Factory> FACTORIES = new LinkedHashMap<>();

    static {
        FACTORIES.put(ReplayStrategy.NAME, (settings, dir) ->
                ReplayStrategy.restore(settings.replay(), settings.hyperparameters().seed(), dir));
        FACTORIES.put(EwcStrategy.NAME, (settings, dir) -> EwcStrategy.restore(settings.ewc(), dir));
        FACTORIES.put(LwfStrategy.NAME, (settings, dir) -> new LwfStrategy(settings.lwf()));
        FACTORIES.put(WeightAligningStrategy.NAME, (settings, dir) -> new WeightAligningStrategy(
                settings.weightAligning()));
        FACTORIES.put(JointStrategy.NAME, (settings, dir) ->
                JointStrategy.restore(settings.joint(), settings.hyperparameters().seed(), dir));
    }

    private StrategyRegistry() {
    }

    /** The names {@code trainer.strategies} accepts, in registration order. */
    public static List<String> names() {
        return List.copyOf(FACTORIES.keySet());
    }

    /**
     * The strategies {@code settings.strategies()} names, in that order, each restored from {@code taskDirectory}.
     *
     * @throws IllegalArgumentException for a name not registered or named twice
     */
    public static List<ContinualStrategy> create(TrainerSettings settings, Path taskDirectory) throws IOException {
        List<ContinualStrategy> strategies = new ArrayList<>();
        for (String name : validated(settings.strategies())) {
            strategies.add(FACTORIES.get(name).create(settings, taskDirectory));
        }
        return strategies;
    }

    /** The names, checked: each registered, none twice (an empty list is naive fine-tuning). */
    public static List<String> validated(List<String> names) {
        List<String> seen = new ArrayList<>();
        for (String raw : names == null ? List.<String>of() : names) {
            String name = raw.strip();
            if (name.isEmpty()) {
                continue; // TRAINER_STRATEGIES= (blank) reads as one empty name: naive
            }
            if (!FACTORIES.containsKey(name)) {
                throw new IllegalArgumentException("trainer.strategies: unknown strategy '" + name + "' (known: "
                        + names() + ")");
            }
            if (seen.contains(name)) {
                throw new IllegalArgumentException("trainer.strategies names '" + name + "' twice");
            }
            seen.add(name);
        }
        return seen;
    }
}
