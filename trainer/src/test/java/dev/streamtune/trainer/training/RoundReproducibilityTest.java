package dev.streamtune.trainer.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.streamtune.model.BaseModel;
import dev.streamtune.model.BuiltInModels;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.model.weights.SafetensorsReader;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.Split;
import dev.streamtune.trainer.TrainerSettings;
import dev.streamtune.trainer.augment.EdaAugmenter;
import dev.streamtune.trainer.augment.Synonyms;
import dev.streamtune.trainer.augment.TrainingAugmentation;
import dev.streamtune.trainer.strategy.EwcStrategy;
import dev.streamtune.trainer.strategy.ReplayStrategy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same round twice, on the real MiniLM, with the same examples and seed but the examples in another arrival
 * order (as another interleaving of the clean topic's partitions gives): the adapters, their temperatures, the
 * replay buffers and the Fisher come out bit for bit the same, for a first round and for a second one that replays
 * and uses EWC and grows the head.
 */
class RoundReproducibilityTest {

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
    void theSameRoundTwiceGivesTheSameAdapterWhateverTheArrivalOrder() throws Exception {
        Run a = twoRounds("a", false);
        Run b = twoRounds("b", true);
        for (int round = 0; round < 2; round++) {
            Map<String, float[]> expected = a.weights().get(round);
            Map<String, float[]> actual = b.weights().get(round);
            assertEquals(expected.keySet(), actual.keySet());
            for (String name : expected.keySet()) {
                assertArrayEquals(expected.get(name), actual.get(name), "round " + (round + 1) + ": " + name);
            }
            assertEquals(a.calibrations().get(round), b.calibrations().get(round), "round " + (round + 1));
            assertEquals(-1, Files.mismatch(a.adapters().get(round), b.adapters().get(round)),
                    "round " + (round + 1) + ": the adapter files are byte for byte the same");
        }
        assertEquals(-1, Files.mismatch(a.replay(), b.replay()), "the replay buffers are the same");
        a.fisher().forEach((name, values) -> assertArrayEquals(values, b.fisher().get(name), "Fisher " + name));
        System.out.println("round adapters' tensors_sha256: "
                + SafetensorsReader.read(a.adapters().get(0)).metadata().get("tensors_sha256") + ", "
                + SafetensorsReader.read(a.adapters().get(1)).metadata().get("tensors_sha256") + "; "
                + a.calibrations());
    }

    @Test
    void anAugmentedRoundIsTheSameWhateverTheArrivalOrder() throws Exception {
        assertEquals(augmentedRound(false), augmentedRound(true));
    }

    /** A short first round with EDA copies (swap and deletion), as its weights. */
    private Map<String, List<Float>> augmentedRound(boolean interleaved) throws Exception {
        TrainerSettings settings = SyntheticTasks.settings(true, false);
        TrainerSettings.Hyperparameters hp = settings.hyperparameters().searched(
                settings.hyperparameters().learningRate(), settings.hyperparameters().weightDecay(), 6);
        ContinualLearner learner = SyntheticTasks.learner(base, settings, 1);
        TrainingAugmentation augmentation = new TrainingAugmentation(Synonyms.NONE, 2, Map.of(
                EdaAugmenter.Operation.RANDOM_SWAP, 0.2, EdaAugmenter.Operation.RANDOM_DELETION, 0.2), hp.seed());
        try (TextClassifier classifier = learner.startingPoint(null, FIRST, hp).classifier()) {
            ContinualLearner.Round round = learner.learn(RoundInputs.fresh(classifier,
                    arrival(window(FIRST, 40, 1, Split.TRAIN), interleaved),
                    arrival(window(FIRST, 12, 2, Split.VALIDATION), interleaved), hp, "augmented")
                    .augmented(augmentation));
            assertTrue(round.augmented() > 0);
            Map<String, List<Float>> weights = new java.util.TreeMap<>();
            classifier.snapshot().forEach((name, values) -> {
                List<Float> list = new ArrayList<>(values.length);
                for (float v : values) {
                    list.add(v);
                }
                weights.put(name, list);
            });
            return weights;
        }
    }

    record Run(List<Map<String, float[]>> weights, List<CandidateCalibration> calibrations, List<Path> adapters,
               Path replay, Map<String, float[]> fisher) {
    }

    private Run twoRounds(String name, boolean interleaved) throws Exception {
        TrainerSettings settings = SyntheticTasks.settings(true, true);
        TrainerSettings.Hyperparameters hp = settings.hyperparameters();
        ContinualLearner learner = SyntheticTasks.learner(base, settings, 1);
        List<Map<String, float[]>> weights = new ArrayList<>();
        List<CandidateCalibration> calibrations = new ArrayList<>();
        List<Path> adapters = new ArrayList<>();
        Path first = dir.resolve(name + "-1.adapter");
        try (TextClassifier classifier = learner.startingPoint(null, FIRST, hp).classifier()) {
            ContinualLearner.Round round = learner.learn(RoundInputs.fresh(classifier,
                    arrival(window(FIRST, 60, 1, Split.TRAIN), interleaved),
                    arrival(window(FIRST, 30, 2, Split.VALIDATION), interleaved), hp, name + " round 1"));
            calibrations.add(round.calibration());
            weights.add(classifier.snapshot());
            classifier.save(first, Map.of("round", "1"));
            adapters.add(first);
        }
        Path second = dir.resolve(name + "-2.adapter");
        try (TextClassifier classifier = learner.startingPoint(first, GROWN, hp).classifier()) {
            ContinualLearner.Round round = learner.learn(RoundInputs.fresh(classifier,
                    arrival(window(ADDED, 40, 4, Split.TRAIN), interleaved),
                    arrival(window(GROWN, 30, 5, Split.VALIDATION), interleaved), hp, name + " round 2"));
            calibrations.add(round.calibration());
            weights.add(classifier.snapshot());
            classifier.save(second, Map.of("round", "2"));
            adapters.add(second);
        }
        Path replay = dir.resolve(name + ".replay");
        learner.strategy(ReplayStrategy.class).orElseThrow().buffer().save(replay);
        return new Run(weights, calibrations, adapters, replay,
                learner.strategy(EwcStrategy.class).orElseThrow().fisher().fisher());
    }

    /** The examples as they arrived: in order, or interleaved differently (a fixed shuffle). */
    private static List<CleanExample> arrival(List<CleanExample> examples, boolean interleaved) {
        List<CleanExample> arrived = new ArrayList<>(examples);
        if (interleaved) {
            Collections.shuffle(arrived, new Random(99));
        }
        return arrived;
    }

    private static List<CleanExample> window(List<String> labels, int n, long seed, Split split) {
        return SyntheticIntents.examples("intents", "intents-" + seed, labels, n, seed, split);
    }
}
