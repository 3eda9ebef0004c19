package dev.streamtune.trainer.training;

import java.util.List;

import dev.streamtune.model.TextClassifier;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.trainer.TrainerSettings;
import dev.streamtune.trainer.augment.TrainingAugmentation;

/**
 * What {@link ContinualLearner#learn} learns from in one round: the classifier to train (from
 * {@link ContinualLearner#startingPoint} or a checkpoint) and the round's new examples.
 *
 * @param resume   where an interrupted round picks up ({@link Resume#NONE} for a fresh one)
 * @param listener called after every optimizer step, e.g. to checkpoint
 * @param label    names the round in log lines (the candidate id)
 * @param augmentation copies of the training examples the plan adds ({@link TrainingAugmentation#NONE}: none)
 */
public record RoundInputs(TextClassifier classifier, List<CleanExample> train, List<CleanExample> validation,
                          TrainerSettings.Hyperparameters hyperparameters, Resume resume,
                          WindowTrainer.StepListener listener, String label, TrainingAugmentation augmentation) {

    /** A fresh round without a listener (tests, benchmarks). */
    public static RoundInputs fresh(TextClassifier classifier, List<CleanExample> train,
                                    List<CleanExample> validation, TrainerSettings.Hyperparameters hyperparameters,
                                    String label) {
        return new RoundInputs(classifier, train, validation, hyperparameters, Resume.NONE,
                (step, batchesDone, session) -> { }, label, TrainingAugmentation.NONE);
    }

    /** The same round with its training examples augmented. */
    public RoundInputs augmented(TrainingAugmentation newAugmentation) {
        return new RoundInputs(classifier, train, validation, hyperparameters, resume, listener, label,
                newAugmentation);
    }
}
