package dev.streamtune.trainer.training;

import java.util.List;

import dev.streamtune.model.LabeledText;
import dev.streamtune.model.LossTerm;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.trainer.TrainerSettings;

/**
 * What {@link WindowTrainer#train} trains: a classifier through a plan, validated on {@code validation}.
 *
 * @param extraLosses added to every batch's loss (EWC's penalty, LwF's distillation), in order; may be empty
 * @param resume    where an interrupted run picks up ({@link Resume#NONE} for a fresh one)
 * @param listener  called after every optimizer step, e.g. to checkpoint
 * @param label     names the run in log lines
 */
public record TrainingRun(TextClassifier classifier, TrainingPlan plan, List<LabeledText> validation,
                          TrainerSettings.Hyperparameters hyperparameters, List<LossTerm> extraLosses, Resume resume,
                          WindowTrainer.StepListener listener, String label) {

    /** A fresh run without an extra loss term and without a listener (searches, benchmarks). */
    public static TrainingRun plain(TextClassifier classifier, TrainingPlan plan, List<LabeledText> validation,
                                    TrainerSettings.Hyperparameters hyperparameters, String label) {
        return new TrainingRun(classifier, plan, validation, hyperparameters, List.of(), Resume.NONE,
                (step, batchesDone, session) -> { }, label);
    }
}
