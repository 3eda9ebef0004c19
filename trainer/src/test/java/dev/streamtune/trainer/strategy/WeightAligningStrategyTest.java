package dev.streamtune.trainer.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.streamtune.model.BaseModel;
import dev.streamtune.model.BuiltInModels;
import dev.streamtune.model.ClassifierConfig;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.model.nn.ClassifierHead;
import dev.streamtune.trainer.TrainerSettings;
import dev.streamtune.trainer.training.SyntheticTasks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WeightAligningStrategyTest {

    private static final List<String> LABELS = List.of("colour", "animal", "weather", "food");
    private static final TrainerSettings SETTINGS = SyntheticTasks.settings(false, false);
    private static final int HIDDEN = 384;

    private static BaseModel base;

    @BeforeAll
    static void loadBase() {
        base = BuiltInModels.miniLm();
    }

    @AfterAll
    static void closeBase() {
        base.close();
    }

    /**
     * colour and animal were learned before the round; weather is learned in it with rows twice as large; food is
     * declared but never trained. Only weather's row is scaled, to the old rows' mean norm.
     */
    @Test
    void rowsOfLabelsLearnedInTheRoundAreScaledToTheOldMeanNorm() {
        try (TextClassifier classifier = TextClassifier.create(base, ClassifierConfig.of(LABELS))) {
            float[] weight = new float[LABELS.size() * HIDDEN];
            Arrays.fill(weight, 0, 2 * HIDDEN, 1f);           // old rows: norm sqrt(384)
            Arrays.fill(weight, 2 * HIDDEN, 3 * HIDDEN, 2f);  // weather: twice that
            Arrays.fill(weight, 3 * HIDDEN, 4 * HIDDEN, 3f);  // food: untouched
            classifier.restore(Map.of(ClassifierHead.WEIGHT, weight));
            classifier.assumeLearned(List.of("colour", "animal"));
            WeightAligningStrategy strategy = new WeightAligningStrategy(SETTINGS.weightAligning());
            RoundContext round = new RoundContext(classifier, List.of(), List.of(), SETTINGS.hyperparameters(), "r");

            strategy.beforeTraining(round);
            classifier.assumeLearned(List.of("weather")); // what training on weather examples records
            strategy.afterTraining(round);

            float[] after = classifier.snapshot().get(ClassifierHead.WEIGHT);
            assertArrayEquals(Arrays.copyOf(weight, 2 * HIDDEN), Arrays.copyOf(after, 2 * HIDDEN), "old rows kept");
            for (int j = 2 * HIDDEN; j < 3 * HIDDEN; j++) {
                assertEquals(1f, after[j], 1e-6f, "weather scaled by 1/2");
            }
            assertArrayEquals(Arrays.copyOfRange(weight, 3 * HIDDEN, 4 * HIDDEN),
                    Arrays.copyOfRange(after, 3 * HIDDEN, 4 * HIDDEN), "a row never trained is left alone");
        }
    }

    @Test
    void aRoundWithoutNewLabelsOrWithoutOldOnesChangesNothing() {
        try (TextClassifier classifier = TextClassifier.create(base, ClassifierConfig.of(LABELS).withSeed(5))) {
            Map<String, float[]> start = classifier.snapshot();
            WeightAligningStrategy strategy = new WeightAligningStrategy(SETTINGS.weightAligning());
            RoundContext round = new RoundContext(classifier, List.of(), List.of(), SETTINGS.hyperparameters(), "r");
            strategy.beforeTraining(round);
            classifier.assumeLearned(LABELS.subList(0, 2)); // first round: nothing was learned before
            strategy.afterTraining(round);
            strategy.beforeTraining(round);
            strategy.afterTraining(round); // domain-incremental round: the same labels again
            assertArrayEquals(start.get(ClassifierHead.WEIGHT), classifier.snapshot().get(ClassifierHead.WEIGHT));
        }
    }
}
