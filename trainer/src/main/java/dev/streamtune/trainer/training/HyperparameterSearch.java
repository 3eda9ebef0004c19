package dev.streamtune.trainer.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import dev.streamtune.model.LabeledText;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.trainer.TrainerSettings;
import dev.streamtune.trainer.search.SuccessiveHalving;

/**
 * Random search over learning rate and weight decay, pruned by successive halving, on a subset of a window's
 * examples, before the window's full training. Trials start from the same point as the real round but train
 * without replay or EWC, which keeps them cheap; the winner's settings are used for the round.
 */
public final class HyperparameterSearch {

    private static final double MIN_LEARNING_RATE = 1e-4;
    private static final double MAX_LEARNING_RATE = 2e-3;
    private static final double[] WEIGHT_DECAYS = {0.0, 0.01, 0.1};

    public record Outcome(TrainerSettings.Hyperparameters best, List<SuccessiveHalving.Trial> trials) {
    }

    private final ContinualLearner learner;
    private final TrainerSettings.Search search;

    public HyperparameterSearch(ContinualLearner learner, TrainerSettings.Search search) {
        this.learner = learner;
        this.search = search;
    }

    public Outcome run(Path startingAdapter, List<String> labels, List<CleanExample> train, List<CleanExample> validation,
                       TrainerSettings.Hyperparameters hp, String label) {
        Random random = new Random(hp.seed());
        List<Map<String, String>> candidates = new ArrayList<>();
        for (int i = 0; i < search.trials(); i++) {
            double learningRate = Math.exp(Math.log(MIN_LEARNING_RATE)
                    + random.nextDouble() * (Math.log(MAX_LEARNING_RATE) - Math.log(MIN_LEARNING_RATE)));
            candidates.add(Map.of("learningRate", String.format(Locale.ROOT, "%.2e", learningRate),
                    "weightDecay", Double.toString(WEIGHT_DECAYS[random.nextInt(WEIGHT_DECAYS.length)])));
        }
        List<CleanExample> subset = new ArrayList<>(TrainingPlan.canonicalOrder(train)); // arrival order must not matter
        Collections.shuffle(subset, random);
        List<CleanExample> trialTrain = subset.subList(0, Math.min(subset.size(), search.subsetSize()));
        List<LabeledText> trialValidation = validation.stream().map(TrainingPlan::labeled).toList();

        SuccessiveHalving.Result result = SuccessiveHalving.search(candidates, search.initialSteps(), search.eta(),
                (settings, steps) -> {
                    TrainerSettings.Hyperparameters trial = apply(hp, settings, steps);
                    try (TextClassifier classifier = learner.startingPoint(startingAdapter, labels, trial).classifier()) {
                        TrainingPlan plan = TrainingPlan.of(trialTrain, List.of(), trial.batchSize(), Integer.MAX_VALUE,
                                steps * trial.gradientAccumulation(), trial.seed());
                        WindowTrainer.Result outcome = WindowTrainer.train(
                                TrainingRun.plain(classifier, plan, trialValidation, trial, label + "/search"));
                        return trialValidation.isEmpty() ? outcome.trainLoss() : outcome.validationLoss();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
        return new Outcome(apply(hp, result.best(), hp.maxSteps()), result.trials());
    }

    private static TrainerSettings.Hyperparameters apply(TrainerSettings.Hyperparameters hp,
                                                         Map<String, String> settings, int maxSteps) {
        return hp.searched(Double.parseDouble(settings.get("learningRate")),
                Double.parseDouble(settings.get("weightDecay")), maxSteps);
    }
}
