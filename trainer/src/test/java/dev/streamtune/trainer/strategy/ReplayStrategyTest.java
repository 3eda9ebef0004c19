package dev.streamtune.trainer.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.Split;
import dev.streamtune.trainer.TrainerSettings;
import dev.streamtune.trainer.replay.ReplayBuffer;
import dev.streamtune.trainer.training.SyntheticIntents;
import dev.streamtune.trainer.training.SyntheticTasks;
import dev.streamtune.trainer.training.TrainingPlan;
import org.junit.jupiter.api.Test;

/** Replay's hooks: no top-up from an empty buffer, the configured share once it holds examples; no model needed. */
class ReplayStrategyTest {

    private static final TrainerSettings.Hyperparameters HP = SyntheticTasks.settings(true, false).hyperparameters();
    private static final TrainerSettings.Replay LIMITLESS = new TrainerSettings.Replay(100, 1.0, 0, 0.25, 0.75);
    private static final List<String> OLD = SyntheticIntents.LABELS.subList(0, 2);

    @Test
    void firstRoundHasNoTopUpAndItsExamplesEnterTheBuffer() {
        ReplayStrategy replay = new ReplayStrategy(LIMITLESS, new ReplayBuffer(100, 1));
        RoundContext first = round(examples(OLD, 1));
        assertTrue(replay.batchTopUp(first).isEmpty(), "nothing to replay yet");

        replay.afterTraining(first);
        assertEquals(Set.copyOf(OLD), replay.rememberedLabels());
    }

    @Test
    void laterRoundsAreToppedUpAtTheConfiguredShareFromTheBuffer() {
        ReplayStrategy replay = new ReplayStrategy(LIMITLESS, new ReplayBuffer(100, 1));
        replay.afterTraining(round(examples(OLD, 1)));

        TrainingPlan.TopUp topUp = replay.batchTopUp(round(examples(OLD, 2))).orElseThrow();
        assertEquals(0.25, topUp.ratio(), 1e-9);
        List<CleanExample> drawn = topUp.draw(8, new Random(3));
        assertEquals(8, drawn.size());
        assertTrue(drawn.stream().allMatch(e -> OLD.contains(e.getLabel())));
    }

    @Test
    void roundOfOnlyNewLabelsReplaysAtLeastTheShareOfLabelsOnlyTheBufferHolds() {
        ReplayStrategy replay = new ReplayStrategy(LIMITLESS, new ReplayBuffer(100, 1));
        replay.afterTraining(round(examples(OLD, 1)));
        TrainingPlan.TopUp topUp = replay.batchTopUp(round(examples(SyntheticIntents.LABELS.subList(2, 3), 2)))
                .orElseThrow();
        assertEquals(2.0 / 3, topUp.ratio(), 1e-9, "two of three labels only in the buffer");
    }

    @Test
    void settingsAreDescribedByTheirConfigKeys() {
        assertEquals(Map.of("capacity", "100", "max-share-of-seen", "1.0", "min-per-label", "0", "ratio", "0.25", "max-ratio", "0.75"),
                new ReplayStrategy(LIMITLESS, new ReplayBuffer(100, 1)).settings());
    }

    private static List<CleanExample> examples(List<String> labels, long seed) {
        return SyntheticIntents.examples("intents", "w" + seed, labels, 20, seed, Split.TRAIN);
    }

    private static RoundContext round(List<CleanExample> train) {
        return new RoundContext(null, train, List.of(), HP, "test");
    }
}
