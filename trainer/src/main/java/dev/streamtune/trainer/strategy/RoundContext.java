package dev.streamtune.trainer.strategy;

import java.util.List;

import dev.streamtune.model.TextClassifier;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.trainer.TrainerSettings;

/**
 * What a strategy's hooks see of a round: the classifier being trained (live: after training it holds the learned
 * weights), the round's new examples and its hyperparameters.
 *
 * @param label names the round in log lines (the candidate id)
 */
public record RoundContext(TextClassifier classifier, List<CleanExample> train, List<CleanExample> validation,
                           TrainerSettings.Hyperparameters hyperparameters, String label) {
}
