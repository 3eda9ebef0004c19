package dev.streamtune.trainer.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import dev.streamtune.trainer.TrainerSettings;
import dev.streamtune.trainer.ewc.FisherDiagonal;
import dev.streamtune.trainer.training.SyntheticTasks;
import org.junit.jupiter.api.Test;

/**
 * EWC's hooks without a model: no penalty before anything was consolidated, and its settings by config key. The
 * penalty and the Fisher on the real model: ContinualLearnerTest and ForgettingTest.
 */
class EwcStrategyTest {

    private static final TrainerSettings.Ewc SETTINGS = new TrainerSettings.Ewc(100, 0.9, 200);

    @Test
    void noPenaltyBeforeTheFirstConsolidation() {
        EwcStrategy ewc = new EwcStrategy(SETTINGS, FisherDiagonal.empty());
        assertEquals(List.of(), ewc.lossTerms(new RoundContext(null, List.of(), List.of(),
                SyntheticTasks.settings(false, true).hyperparameters(), "first")));
    }

    @Test
    void settingsAreDescribedByTheirConfigKeys() {
        assertEquals(Map.of("lambda", "100.0", "decay", "0.9", "fisher-samples", "200"),
                new EwcStrategy(SETTINGS, FisherDiagonal.empty()).settings());
    }
}
