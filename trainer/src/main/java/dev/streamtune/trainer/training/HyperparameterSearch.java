package dev.streamtune.trainer.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import dev.streamtune.model.LabeledText;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.trainer.TrainerSettings;
import dev.streamtune.trainer.search.SuccessiveHalving;
import dev.streamtune.trainer.search.TpeSearch;
import dev.streamtune.trainer.search.TreeParzenEstimator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Searches learning rate and weight decay on a subset of a round's examples before its full training, by
 * {@code trainer.search.method}: random settings pruned by successive halving, or sequential trials proposed by a
 * Tree-structured Parzen Estimator with the same optimizer-step budget. Trials start from the same point as the real
 * round but train without the strategies (no replay, no EWC), which keeps them cheap; each is early-stopped as a
 * round is. The winner's settings are used for the round.
 */
public final class HyperparameterSearch {

    private static final Logger LOG = LoggerFactory.getLogger(HyperparameterSearch.class);

    private static final double MIN_LEARNING_RATE = 1e-4;
    private static final double MAX_LEARNING_RATE = 2e-3;
    private static final double[] WEIGHT_DECAYS = {0.0, 0.01, 0.1};

    /**
     * @param method  which method searched ({@code random-halving} or {@code tpe}), for the lineage
     * @param summary what was searched with what budget, and what was chosen (a lineage line)
     */
    public record Outcome(TrainerSettings.Hyperparameters best, List<SuccessiveHalving.Trial> trials, String method,
                          String summary) {
    }

    private final ContinualLearner learner;
    private final TrainerSettings.Search search;

    public HyperparameterSearch(ContinualLearner learner, TrainerSettings.Search search) {
        this.learner = learner;
        this.search = search;
    }

    public Outcome run(Path startingAdapter, List<String> labels, List<CleanExample> train, List<CleanExample> validation,
                       TrainerSettings.Hyperparameters hp, String label) {
        // The subset has its own seeded draw, so both methods train their trials on the same examples.
        List<CleanExample> subset = new ArrayList<>(TrainingPlan.canonicalOrder(train)); // arrival order must not matter
        Collections.shuffle(subset, new Random(hp.seed()));
        List<CleanExample> trialTrain = subset.subList(0, Math.min(subset.size(), search.subsetSize()));
        List<LabeledText> trialValidation = validation.stream().map(TrainingPlan::labeled).toList();
        SuccessiveHalving.TrialRunner runner = (settings, steps) -> {
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
        };
        long budget = SuccessiveHalving.budget(search.trials(), search.initialSteps(), search.eta());
        String method = search.searchMethod().key();
        SuccessiveHalving.Result result;
        String spent;
        if (search.searchMethod() == TrainerSettings.Search.Method.TPE) {
            TrainerSettings.Search.Tpe tpe = search.tpe();
            int trials = tpeTrials(budget, tpe.trialSteps());
            TreeParzenEstimator estimator = new TreeParzenEstimator(List.of(
                    new TreeParzenEstimator.LogUniform("learningRate", MIN_LEARNING_RATE, MAX_LEARNING_RATE),
                    new TreeParzenEstimator.Categorical("weightDecay",
                            java.util.Arrays.stream(WEIGHT_DECAYS).boxed().toList())),
                    tpe.estimator(), hp.seed());
            result = TpeSearch.search(estimator, trials, tpe.trialSteps(), HyperparameterSearch::describe, runner);
            spent = String.format(Locale.ROOT, "%d trials of %d steps (%d of the %d-step budget of random-halving"
                            + " with %d settings from %d steps, eta %d), %d start-up, gamma %s, %d candidates",
                    trials, tpe.trialSteps(), (long) trials * tpe.trialSteps(), budget, search.trials(),
                    search.initialSteps(), search.eta(), Math.min(trials, tpe.startupTrials()), tpe.gamma(),
                    tpe.candidates());
        } else {
            Random random = new Random(hp.seed() + 1);
            List<Map<String, String>> candidates = new ArrayList<>();
            for (int i = 0; i < search.trials(); i++) {
                double learningRate = Math.exp(Math.log(MIN_LEARNING_RATE)
                        + random.nextDouble() * (Math.log(MAX_LEARNING_RATE) - Math.log(MIN_LEARNING_RATE)));
                candidates.add(describe(Map.of("learningRate", learningRate,
                        "weightDecay", WEIGHT_DECAYS[random.nextInt(WEIGHT_DECAYS.length)])));
            }
            result = SuccessiveHalving.search(candidates, search.initialSteps(), search.eta(), runner);
            spent = String.format(Locale.ROOT, "%d settings from %d steps, eta %d (%d steps)", search.trials(),
                    search.initialSteps(), search.eta(), budget);
        }
        String summary = String.format(Locale.ROOT, "%s: %s on %d examples; chose %s", method, spent,
                trialTrain.size(), result.best());
        LOG.info("{}: search {}", label, summary);
        return new Outcome(apply(hp, result.best(), hp.maxSteps()), result.trials(), method, summary);
    }

    /** As many trials of {@code trialSteps} as fit in {@code budget} (at least one). */
    static int tpeTrials(long budget, int trialSteps) {
        if (trialSteps < 1) {
            throw new IllegalArgumentException("trainer.search.tpe.trial-steps must be positive, was " + trialSteps);
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, budget / trialSteps));
    }

    /** A point as the trials and the lineage take it: the learning rate to three significant digits. */
    private static Map<String, String> describe(Map<String, Double> point) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("learningRate", String.format(Locale.ROOT, "%.2e", point.get("learningRate")));
        settings.put("weightDecay", Double.toString(point.get("weightDecay")));
        return settings;
    }

    private static TrainerSettings.Hyperparameters apply(TrainerSettings.Hyperparameters hp,
                                                         Map<String, String> settings, int maxSteps) {
        return hp.searched(Double.parseDouble(settings.get("learningRate")),
                Double.parseDouble(settings.get("weightDecay")), maxSteps);
    }
}
