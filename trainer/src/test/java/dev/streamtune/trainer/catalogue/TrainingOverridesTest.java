package dev.streamtune.trainer.catalogue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import dev.streamtune.contract.TaskOverrides;
import dev.streamtune.trainer.TrainerSettings.Augmentation;
import dev.streamtune.trainer.TrainerSettings.Hyperparameters;
import dev.streamtune.trainer.schedule.LearningRateSchedule;
import dev.streamtune.trainer.training.SyntheticTasks;
import org.junit.jupiter.api.Test;

class TrainingOverridesTest {

    private static final Hyperparameters CONFIGURED = SyntheticTasks.settings(true, true).hyperparameters();
    private static final Augmentation AUGMENTATION = SyntheticTasks.settings(true, true).augmentation();

    @Test
    void noOverridesLeaveTheConfiguredHyperparameters() {
        TrainingOverrides.Outcome outcome = TrainingOverrides.apply(CONFIGURED, AUGMENTATION, Map.of());
        assertEquals(CONFIGURED, outcome.hyperparameters());
        assertEquals(AUGMENTATION, outcome.augmentation());
        assertTrue(outcome.applied().isEmpty() && outcome.ignored().isEmpty());
    }

    @Test
    void everyOverridableKeyReplacesItsHyperparameter() {
        Map<String, String> all = Map.ofEntries(Map.entry("learning-rate", "3e-4"), Map.entry("warmup-steps", "7"),
                Map.entry("decay", "linear"), Map.entry("floor-fraction", "0.2"), Map.entry("batch-size", "8"),
                Map.entry("gradient-accumulation", "2"), Map.entry("epochs", "5"), Map.entry("max-steps", "11"),
                Map.entry("weight-decay", "0"), Map.entry("dropout", "0.2"), Map.entry("patience", "4"),
                Map.entry("evaluate-every-steps", "9"), Map.entry("validation-sample", "50"),
                Map.entry("augmentation-enabled", "true"), Map.entry("augmentation-copies", "2"),
                Map.entry("optimizer", "SGD"), Map.entry("momentum", "0.8"), Map.entry("rmsprop-alpha", "0.9"),
                Map.entry("unfreeze-every-steps", "20"));
        assertEquals(TaskOverrides.TRAINING, all.keySet(), "the test covers every key the catalogue allows");
        TrainingOverrides.Outcome outcome = TrainingOverrides.apply(CONFIGURED, AUGMENTATION, all);
        Hyperparameters hp = outcome.hyperparameters();
        assertEquals(new Hyperparameters(3e-4, 7, LearningRateSchedule.Decay.LINEAR, 0.2, 8, 2, 5, 11, 0.0, 0.2f,
                CONFIGURED.loraRank(), CONFIGURED.loraAlpha(), CONFIGURED.loraTargets(), CONFIGURED.loraFirstLayer(), CONFIGURED.trainableTopLayers(),
                CONFIGURED.maxSequenceLength(), CONFIGURED.seed(), 4, 9, 50, CONFIGURED.peftMethod(),
                CONFIGURED.peftSize(), "sgd", 0.8, 0.9, 20), hp);
        assertEquals(AUGMENTATION.with(true, 2), outcome.augmentation());
        assertEquals(19, outcome.applied().size());
        assertEquals(new dev.streamtune.model.optimizer.SgdMomentum(0.8f), hp.updateRule());
        assertTrue(outcome.ignored().isEmpty(), outcome.ignored().toString());
    }

    @Test
    void aBadValueIsIgnoredWithItsReasonAndTheOthersStillApply() {
        TrainingOverrides.Outcome outcome = TrainingOverrides.apply(CONFIGURED, AUGMENTATION, Map.of("learning-rate", "fast",
                "epochs", "0", "dropout", "1", "decay", "sideways", "max-steps", "12", "lora-rank", "64"));
        assertEquals(CONFIGURED.learningRate(), outcome.hyperparameters().learningRate());
        assertEquals(CONFIGURED.epochs(), outcome.hyperparameters().epochs());
        assertEquals(CONFIGURED.loraRank(), outcome.hyperparameters().loraRank(), "shape settings never change");
        assertEquals(12, outcome.hyperparameters().maxSteps());
        assertEquals(Map.of("max-steps", "12"), outcome.applied());
        assertEquals(5, outcome.ignored().size(), outcome.ignored().toString());
        assertTrue(outcome.ignored().contains("learning-rate=fast ignored: not a number"), outcome.ignored().toString());
        assertTrue(outcome.ignored().contains("epochs=0 ignored: must be at least 1"), outcome.ignored().toString());
    }

    @Test
    void aTaskSwitchesAugmentationAndSetsItsCopiesLeavingTheRatesAsConfigured() {
        TrainingOverrides.Outcome on = TrainingOverrides.apply(CONFIGURED, AUGMENTATION,
                Map.of("augmentation-enabled", "TRUE", "augmentation-copies", "8"));
        assertTrue(on.augmentation().enabled());
        assertEquals(8, on.augmentation().copies());
        assertEquals(AUGMENTATION.rates(), on.augmentation().rates());
        assertEquals(CONFIGURED, on.hyperparameters(), "augmentation keys are not hyperparameters");

        TrainingOverrides.Outcome off = TrainingOverrides.apply(CONFIGURED, AUGMENTATION.with(true, 4),
                Map.of("augmentation-enabled", "false"));
        assertEquals(false, off.augmentation().enabled());
        assertEquals(4, off.augmentation().copies());
    }

    @Test
    void badAugmentationValuesAreIgnoredWithTheirReason() {
        TrainingOverrides.Outcome outcome = TrainingOverrides.apply(CONFIGURED, AUGMENTATION,
                Map.of("augmentation-enabled", "yes", "augmentation-copies", "17"));
        assertEquals(AUGMENTATION, outcome.augmentation());
        assertTrue(outcome.applied().isEmpty());
        assertEquals(java.util.List.of("augmentation-copies=17 ignored: must be at most 16",
                "augmentation-enabled=yes ignored: not true or false"), outcome.ignored());
        assertEquals(java.util.List.of("augmentation-copies=-1 ignored: must be at least 0"),
                TrainingOverrides.apply(CONFIGURED, AUGMENTATION, Map.of("augmentation-copies", "-1")).ignored());
    }

    @Test
    void anUnknownOptimizerOrAnOutOfRangeSettingIsIgnoredWithItsReason() {
        TrainingOverrides.Outcome outcome = TrainingOverrides.apply(CONFIGURED, AUGMENTATION, Map.of("optimizer", "lion",
                "momentum", "1", "rmsprop-alpha", "-0.1", "unfreeze-every-steps", "-1"));
        assertEquals(CONFIGURED, outcome.hyperparameters(), "every bad value leaves the configured one");
        assertEquals(Map.of(), outcome.applied());
        assertTrue(outcome.ignored().contains("optimizer=lion ignored: not one of [adamw, rmsprop, sgd]"),
                outcome.ignored().toString());
        assertTrue(outcome.ignored().contains("momentum=1 ignored: must be in [0, 1)"), outcome.ignored().toString());
        assertTrue(outcome.ignored().contains("rmsprop-alpha=-0.1 ignored: must be in [0, 1)"),
                outcome.ignored().toString());
        assertTrue(outcome.ignored().contains("unfreeze-every-steps=-1 ignored: must be at least 0"),
                outcome.ignored().toString());
    }

    @Test
    void aTaskMayPickRmsPropWithItsOwnAlpha() {
        Hyperparameters hp = TrainingOverrides.apply(CONFIGURED, AUGMENTATION, Map.of("optimizer", "rmsprop", "rmsprop-alpha",
                "0.95")).hyperparameters();
        assertEquals(dev.streamtune.model.optimizer.RmsProp.withAlpha(0.95f), hp.updateRule());
        assertEquals(dev.streamtune.model.optimizer.AdamW.defaults(), CONFIGURED.updateRule(), "the default");
    }
}
