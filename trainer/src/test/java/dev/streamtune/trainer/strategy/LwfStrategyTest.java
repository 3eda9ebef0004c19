package dev.streamtune.trainer.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.streamtune.model.BaseModel;
import dev.streamtune.model.BatchLossTerm;
import dev.streamtune.model.BuiltInModels;
import dev.streamtune.model.ClassifierConfig;
import dev.streamtune.model.LabeledText;
import dev.streamtune.model.LossTerm;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.model.nn.ClassifierHead;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.Split;
import dev.streamtune.trainer.TrainerSettings;
import dev.streamtune.trainer.training.SyntheticIntents;
import dev.streamtune.trainer.training.SyntheticTasks;
import dev.streamtune.trainer.training.TrainingPlan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LwfStrategyTest {

    private static final List<String> LABELS = List.of("colour", "animal", "weather");
    private static final TrainerSettings SETTINGS = SyntheticTasks.settings(false, false);

    private static BaseModel base;

    @BeforeAll
    static void loadBase() {
        base = BuiltInModels.miniLm();
    }

    @AfterAll
    static void closeBase() {
        base.close();
    }

    private static RoundContext round(TextClassifier classifier, List<CleanExample> train) {
        return new RoundContext(classifier, train, List.of(), SETTINGS.hyperparameters(), "test round");
    }

    @Test
    void theTeacherCoversTheLongestLearnedPrefixOfTheHead() {
        try (TextClassifier classifier = TextClassifier.create(base, ClassifierConfig.of(LABELS))) {
            assertEquals(0, LwfStrategy.learnedPrefix(classifier), "a fresh adapter has learned nothing");
            classifier.assumeLearned(List.of("colour", "weather"));
            assertEquals(1, LwfStrategy.learnedPrefix(classifier), "animal was declared but not learned yet");
            classifier.assumeLearned(List.of("animal"));
            assertEquals(3, LwfStrategy.learnedPrefix(classifier));
        }
    }

    @Test
    void aFreshAdapterHasNothingToDistil() {
        try (TextClassifier classifier = TextClassifier.create(base, ClassifierConfig.of(LABELS))) {
            assertEquals(List.of(), new LwfStrategy(SETTINGS.lwf()).lossTerms(round(classifier,
                    SyntheticIntents.examples("t", "w1", LABELS, 6, 1, Split.TRAIN))));
        }
    }

    /**
     * The teacher is a frozen copy of the round's start: the term is zero while the student has not moved, grows
     * when the student's old rows move, ignores rows past the learned prefix, and closing it releases the teacher.
     */
    @Test
    void theTermComparesTheStudentWithTheRoundsStartOnLearnedLabelsOnly() throws Exception {
        List<CleanExample> train = SyntheticIntents.examples("t", "w1", LABELS, 6, 1, Split.TRAIN);
        List<LabeledText> batch = train.stream().map(TrainingPlan::labeled).toList();
        try (TextClassifier student = TextClassifier.create(base, ClassifierConfig.of(LABELS).withSeed(3))) {
            student.assumeLearned(List.of("colour", "animal"));
            List<LossTerm> terms = new LwfStrategy(SETTINGS.lwf()).lossTerms(round(student, train));
            assertEquals(1, terms.size());
            BatchLossTerm term = assertInstanceOf(BatchLossTerm.class, terms.get(0));
            assertEquals(0.0, value(term, student, batch), 1e-5, "the student is still the teacher");

            Map<String, float[]> moved = student.snapshot();
            moved.get(ClassifierHead.BIAS)[2] += 5f; // the unlearned row: not distilled
            student.restore(Map.of(ClassifierHead.BIAS, moved.get(ClassifierHead.BIAS)));
            assertEquals(0.0, value(term, student, batch), 1e-5, "a row past the learned prefix is free");

            moved.get(ClassifierHead.BIAS)[0] += 2f;
            student.restore(Map.of(ClassifierHead.BIAS, moved.get(ClassifierHead.BIAS)));
            assertTrue(value(term, student, batch) > 0.1, "an old row moved: the term pulls it back");
            ((AutoCloseable) term).close();
        }
    }

    private static double value(BatchLossTerm term, TextClassifier student, List<LabeledText> batch) {
        float[][] logits = student.logits(batch.stream().map(LabeledText::text).toList());
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] flat = new float[logits.length * logits[0].length];
            for (int i = 0; i < logits.length; i++) {
                System.arraycopy(logits[i], 0, flat, i * logits[0].length, logits[0].length);
            }
            NDArray array = manager.create(flat, new Shape(logits.length, logits[0].length));
            return term.compute(array, batch).getFloat();
        }
    }
}
