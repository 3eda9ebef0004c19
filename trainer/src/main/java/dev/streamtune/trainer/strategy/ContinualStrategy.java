package dev.streamtune.trainer.strategy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.streamtune.model.LossTerm;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.trainer.training.TrainingPlan;

/**
 * A continual-learning method as a set of hooks around one round of a task, in the manner of Avalanche's plugins:
 * a round is the base loop ({@link dev.streamtune.trainer.training.ContinualLearner}) plus the strategies named in
 * {@code trainer.strategies}, called in that order. Each strategy owns its state (a replay buffer, a Fisher), kept
 * per task and saved with the task's checkpoint by {@link #save}; its {@link StrategyRegistry} factory restores it.
 * Naive fine-tuning is no strategy at all.
 *
 * <p>Hooks, in the order a round calls them: {@link #beforeTraining}, {@link #pastExamples} and {@link #batchTopUp}
 * (while the plan is built), {@link #lossTerms} (added to every batch's loss), {@link #afterTraining} (only after a
 * successful training: a failed round leaves the state as it was, and the next attempt starts from the saved one).
 */
public interface ContinualStrategy {

    /** The name it is picked by in {@code trainer.strategies}, and the key its settings live under. */
    String name();

    /**
     * Its settings as {@code trainer.<name>.<key>} keys (without the prefix) and values: the candidate's lineage
     * records them. Generate them from the settings record ({@link SettingsDescription}), never by hand.
     */
    Map<String, String> settings();

    /**
     * Labels it holds examples of, e.g. the replay buffer's: a round trains on them too (the task's definition must
     * have them), and an approved adapter that predates the learned-labels record learned them.
     */
    default Set<String> rememberedLabels() {
        return Set.of();
    }

    /** Before the plan is built; may adjust the strategy's state to the round's classifier (e.g. a grown head). */
    default void beforeTraining(RoundContext round) {
    }

    /**
     * Examples the round trains on as if they were its own (epochs over them too), e.g. joint training's every
     * example seen so far; empty for none. They are not the round's {@link RoundContext#train()}.
     */
    default List<CleanExample> pastExamples(RoundContext round) {
        return List.of();
    }

    /** Examples added to each of the plan's batches, or empty for none. */
    default Optional<TrainingPlan.TopUp> batchTopUp(RoundContext round) {
        return Optional.empty();
    }

    /**
     * Terms added to every batch's loss (EWC's penalty; a distillation term later). Terms that are
     * {@link AutoCloseable} are closed by the round when its training ends.
     */
    default List<LossTerm> lossTerms(RoundContext round) {
        return List.of();
    }

    /** After a successful training: consolidate what the round taught (keep examples, estimate importances). */
    default void afterTraining(RoundContext round) {
    }

    /**
     * Saves its state into the task's checkpoint directory, each file written to a temporary name and renamed (a
     * crash leaves the previous version). The factory that made the strategy reads them back.
     */
    void save(Path taskDirectory) throws IOException;
}
