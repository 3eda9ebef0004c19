package dev.streamtune.trainer.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.streamtune.model.BaseModel;
import dev.streamtune.model.BuiltInModels;
import dev.streamtune.model.HeadGrowth;
import dev.streamtune.model.Prediction;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.model.nn.LoraTarget;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.Split;
import dev.streamtune.trainer.TrainerSettings;
import dev.streamtune.trainer.augment.EdaAugmenter;
import dev.streamtune.trainer.augment.Synonyms;
import dev.streamtune.trainer.augment.TrainingAugmentation;
import dev.streamtune.trainer.ewc.FisherDiagonal;
import dev.streamtune.trainer.replay.ReplayBuffer;
import dev.streamtune.trainer.strategy.EwcStrategy;
import dev.streamtune.trainer.strategy.ReplayStrategy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task's labels grow between two rounds, on the real MiniLM base: the second round starts from the first round's
 * adapter with its head grown, and keeps its replay buffer and EWC state.
 */
class ContinualLearnerTest {

    private static final List<String> FIRST = SyntheticIntents.LABELS.subList(0, 3);
    private static final List<String> GROWN = SyntheticIntents.LABELS.subList(0, 5);
    private static final List<String> ADDED = SyntheticIntents.LABELS.subList(3, 5);

    private static BaseModel base;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadBase() {
        base = BuiltInModels.miniLm();
    }

    @AfterAll
    static void closeBase() {
        base.close();
    }

    @Test
    void appendedLabelsGrowTheApprovedHeadAndCarryReplayAndEwcOver() throws Exception {
        TrainerSettings settings = SyntheticTasks.settings(true, true);
        TrainerSettings.Hyperparameters hp = settings.hyperparameters();
        ContinualLearner learner = SyntheticTasks.learner(base, settings, 1);
        Path approved = dir.resolve("approved.adapter");
        try (TextClassifier first = learner.startingPoint(null, FIRST, hp).classifier()) {
            learner.learn(RoundInputs.fresh(first, window(FIRST, 60, 1, Split.TRAIN),
                    window(FIRST, 15, 2, Split.VALIDATION), hp, "first"));
            first.save(approved, Map.of());
        }
        ReplayBuffer replay = learner.strategy(ReplayStrategy.class).orElseThrow().buffer();
        float[] headFisher = ewc(learner).fisher().get("classifier.weight").clone();
        assertEquals(3 * 384, headFisher.length);

        ContinualLearner.Start start = learner.startingPoint(approved, GROWN, hp);
        try (TextClassifier grown = start.classifier(); TextClassifier parent = TextClassifier.load(base, approved)) {
            assertEquals(GROWN, grown.labels());
            assertEquals(Optional.of("head grown from " + FIRST + " by " + ADDED
                    + " (old rows kept, new rows " + HeadGrowth.NewRows.DEFAULT + ")"), start.growth());
            Map<String, float[]> before = parent.snapshot();
            Map<String, float[]> after = grown.snapshot();
            before.forEach((name, values) -> assertArrayEquals(values,
                    Arrays.copyOf(after.get(name), values.length), name + " carried over"));
            List<String> texts = window(FIRST, 12, 3, Split.TEST).stream().map(CleanExample::getText).toList();
            List<Prediction> old = parent.predict(texts);
            List<Prediction> now = grown.predict(texts);
            for (int i = 0; i < texts.size(); i++) {
                // the old logits are unchanged, so the old classes' probabilities keep their ratios
                for (int c = 1; c < FIRST.size(); c++) {
                    assertEquals(Math.log(old.get(i).probabilities()[c] / old.get(i).probabilities()[0]),
                            Math.log(now.get(i).probabilities()[c] / now.get(i).probabilities()[0]), 1e-4,
                            texts.get(i));
                }
            }
            assertEquals(parent.learnedLabels(), grown.learnedLabels(), "a new label is not learned yet");

            learner.learn(RoundInputs.fresh(grown, window(ADDED, 60, 4, Split.TRAIN),
                    window(ADDED, 20, 5, Split.VALIDATION), hp, "grown"));
            assertTrue(learner.strategy(ReplayStrategy.class).orElseThrow().buffer() == replay
                            && replay.sizeByLabel().keySet().containsAll(GROWN),
                    "the same replay buffer, now with every label: " + replay.sizeByLabel());
            float[] grownFisher = ewc(learner).fisher().get("classifier.weight");
            assertEquals(5 * 384, grownFisher.length);
            for (int i = 0; i < headFisher.length; i++) {
                // online EWC: decay * old + this window's (>= 0); a head that started over would have lost the old
                assertTrue(grownFisher[i] >= settings.ewc().decay() * headFisher[i] * (1 - 1e-5f),
                        "old head importance kept at " + i);
            }
            double oldAccuracy = SyntheticIntents.accuracy(grown, FIRST, 60, 9);
            double newAccuracy = SyntheticIntents.accuracy(grown, ADDED, 40, 9);
            assertTrue(oldAccuracy >= 0.8 && newAccuracy >= 0.8, "old " + oldAccuracy + ", new " + newAccuracy);
            assertEquals(Optional.of(GROWN), grown.learnedLabels());
        }
    }

    @Test
    void augmentedCopiesAreTrainedOnButNeitherValidatedOnNorKeptInTheReplayBuffer() throws Exception {
        TrainerSettings settings = SyntheticTasks.settings(true, false);
        TrainerSettings.Hyperparameters hp = settings.hyperparameters();
        ContinualLearner learner = SyntheticTasks.learner(base, settings, 1);
        List<CleanExample> train = window(FIRST, 30, 1, Split.TRAIN);
        List<CleanExample> validation = window(FIRST, 12, 2, Split.VALIDATION);
        TrainingAugmentation augmentation = new TrainingAugmentation(Synonyms.NONE, 2, Map.of(
                EdaAugmenter.Operation.RANDOM_SWAP, 0.2, EdaAugmenter.Operation.RANDOM_DELETION, 0.2), hp.seed());
        try (TextClassifier classifier = learner.startingPoint(null, FIRST, hp).classifier()) {
            ContinualLearner.Round round = learner.learn(RoundInputs.fresh(classifier, train, validation, hp,
                    "augmented").augmented(augmentation));

            assertEquals(augmentation.copiesOf(train).size(), round.augmented());
            assertTrue(round.augmented() > 30, "about two copies per example: " + round.augmented());
            // The first round has an empty replay buffer (no top-up): each epoch is ceil(examples / batch) batches.
            int perEpoch = (train.size() + round.augmented() + hp.batchSize() - 1) / hp.batchSize();
            assertEquals(hp.epochs() * perEpoch, round.result().steps(), "the copies are in the plan");
            assertEquals(validation.size(), round.calibration().metrics().get("calibration.examples"),
                    "validation is not augmented");
            assertTrue(round.result().validationExamples() <= validation.size());
        }
        Set<String> trainIds = train.stream().map(CleanExample::getId).collect(Collectors.toSet());
        List<CleanExample> replayed = learner.strategy(ReplayStrategy.class).orElseThrow().buffer().all();
        assertFalse(replayed.isEmpty());
        for (CleanExample kept : replayed) {
            assertTrue(trainIds.contains(kept.getId()), "only originals in the replay buffer: " + kept.getId());
            assertFalse(kept.getAttributes().containsKey("augmented-from"), kept.getId());
        }
    }

    @Test
    void anApprovedAdapterWhoseLabelsAreNotAPrefixIsRefused() throws Exception {
        TrainerSettings.Hyperparameters hp = SyntheticTasks.settings(true, true).hyperparameters();
        ContinualLearner learner = SyntheticTasks.learner(base, SyntheticTasks.settings(true, true), 1);
        Path approved = dir.resolve("approved.adapter");
        try (TextClassifier first = learner.startingPoint(null, FIRST, hp).classifier()) {
            first.save(approved, Map.of());
        }
        ContinualLearner.HeadLayoutMismatch refused = assertThrows(ContinualLearner.HeadLayoutMismatch.class,
                () -> learner.startingPoint(approved, List.of("animal", "colour", "weather", "food"), hp));
        assertTrue(refused.getMessage().contains("not a prefix"), refused.getMessage());
    }

    private static FisherDiagonal ewc(ContinualLearner learner) {
        return learner.strategy(EwcStrategy.class).orElseThrow().fisher();
    }

    @Test
    void aFreshAdapterTakesItsLoraLayoutFromTheHyperparametersAndAnApprovedOneKeepsItsOwn() throws Exception {
        TrainerSettings.Hyperparameters configured = SyntheticTasks.settings(false, false).hyperparameters();
        TrainerSettings.Hyperparameters topThree = new TrainerSettings.Hyperparameters(configured.learningRate(),
                configured.warmupSteps(), configured.decay(), configured.floorFraction(), configured.batchSize(),
                configured.gradientAccumulation(), configured.epochs(), configured.maxSteps(),
                configured.weightDecay(), configured.dropout(), configured.loraRank(), configured.loraAlpha(),
                List.of("query", "value", "attention-output", "intermediate", "output"), 3,
                configured.trainableTopLayers(), configured.maxSequenceLength(), configured.seed(),
                configured.patience(), configured.evaluateEverySteps(), configured.validationSample(),
                configured.peftMethod(), configured.peftSize(), configured.optimizer(), configured.momentum(),
                configured.rmspropAlpha(), configured.unfreezeEverySteps());
        ContinualLearner learner = SyntheticTasks.learner(base, SyntheticTasks.settings(false, false), 1);
        Path approved = dir.resolve("top-three.adapter");
        try (TextClassifier fresh = learner.startingPoint(null, FIRST, topThree).classifier()) {
            assertEquals(3, fresh.config().lora().firstLayer());
            assertEquals(java.util.EnumSet.of(LoraTarget.QUERY, LoraTarget.VALUE, LoraTarget.ATTENTION_OUTPUT,
                    LoraTarget.INTERMEDIATE, LoraTarget.OUTPUT), fresh.config().lora().targets());
            assertEquals(3, fresh.config().frozenBottomLayers(6));
            fresh.save(approved, Map.of());
        }
        try (TextClassifier next = learner.startingPoint(approved, GROWN, configured).classifier()) {
            assertEquals(3, next.config().lora().firstLayer(), "a task keeps the layout its adapter was trained with");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TrainerSettings.Hyperparameters(configured.learningRate(), configured.warmupSteps(),
                        configured.decay(), configured.floorFraction(), configured.batchSize(),
                        configured.gradientAccumulation(), configured.epochs(), configured.maxSteps(),
                        configured.weightDecay(), configured.dropout(), configured.loraRank(),
                        configured.loraAlpha(), List.of("query", "values"), 0, 0, 32, 42, 3, 25, 0, "lora", 0,
                        "adamw", 0.9, 0.99, 0));
        assertTrue(e.getMessage().contains("no LoRA target 'values'"), e.getMessage());
    }

    private static List<CleanExample> window(List<String> labels, int n, long seed, Split split) {
        return SyntheticIntents.examples("intents", "intents-" + seed, labels, n, seed, split);
    }
}
