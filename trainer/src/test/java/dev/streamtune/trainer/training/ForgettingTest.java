package dev.streamtune.trainer.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;

import dev.streamtune.model.BaseModel;
import dev.streamtune.model.BuiltInModels;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.schema.Split;
import dev.streamtune.trainer.TrainerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two tasks in sequence on the real MiniLM base: plain sequential fine-tuning forgets task A while learning task B;
 * replay + EWC learns B and keeps A.
 */
class ForgettingTest {

    private static BaseModel base;

    @BeforeAll
    static void loadBase() {
        base = BuiltInModels.miniLm();
    }

    @AfterAll
    static void closeBase() {
        base.close();
    }

    record Accuracies(double aBefore, double aAfter, double bAfter) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "A before %.3f, A after %.3f, B after %.3f", aBefore, aAfter, bAfter);
        }
    }

    @Test
    void replayAndEwcKeepTaskAWhereNaiveFineTuningForgetsIt() throws Exception {
        Accuracies naive = twoTasks(false, false);
        Accuracies protectedRun = twoTasks(true, true);
        System.out.println("naive: " + naive + " | replay+EWC: " + protectedRun);

        assertTrue(naive.aBefore() >= 0.9, "task A is learned first: " + naive);
        assertTrue(naive.bAfter() >= 0.9, "then task B: " + naive);
        assertTrue(naive.aAfter() <= naive.aBefore() - 0.2, "naive fine-tuning forgets A: " + naive);

        assertTrue(protectedRun.bAfter() >= 0.85, "replay+EWC still learns B: " + protectedRun);
        assertTrue(protectedRun.aAfter() >= protectedRun.aBefore() - 0.05, "and keeps A within 5 points: "
                + protectedRun);
        assertTrue(protectedRun.aAfter() - naive.aAfter() >= 0.15, "a clear difference on A: naive " + naive
                + ", protected " + protectedRun);
    }

    static Accuracies twoTasks(boolean replay, boolean ewc) throws Exception {
        TrainerSettings settings = SyntheticTasks.settings(replay, ewc);
        TrainerSettings.Hyperparameters hp = settings.hyperparameters();
        ContinualLearner learner = SyntheticTasks.learner(base, settings, 1);
        try (TextClassifier classifier = learner.startingPoint(null, SyntheticTasks.LABELS, hp).classifier()) {
            learner.learn(RoundInputs.fresh(classifier, SyntheticTasks.examples(0, 240, 1, Split.TRAIN),
                    SyntheticTasks.examples(0, 40, 2, Split.VALIDATION), hp, "task A"));
            double aBefore = accuracy(classifier, 0);
            learner.learn(RoundInputs.fresh(classifier, SyntheticTasks.examples(1, 240, 1, Split.TRAIN),
                    SyntheticTasks.examples(1, 40, 2, Split.VALIDATION), hp, "task B"));
            return new Accuracies(aBefore, accuracy(classifier, 0), accuracy(classifier, 1));
        }
    }

    static double accuracy(TextClassifier classifier, int task) {
        return ValidationScore.of(classifier, SyntheticTasks.examples(task, 100, 3, Split.TEST).stream()
                .map(TrainingPlan::labeled).toList()).accuracy();
    }
}
