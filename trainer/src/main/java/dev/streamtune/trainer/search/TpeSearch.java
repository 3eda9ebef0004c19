package dev.streamtune.trainer.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Sequential model-based search: {@code trials} trials of {@code trialSteps} optimizer steps each, every one at the
 * point the {@link TreeParzenEstimator} proposes from the losses so far. Unlike successive halving, every trial gets
 * the same budget, so their losses compare directly; the lowest wins (the earliest on a tie).
 */
public final class TpeSearch {

    private TpeSearch() {
    }

    /**
     * @param describe the settings a proposal stands for, as the trial runner and the lineage take them; each value
     *                 must parse as a double, and the parsed value (e.g. rounded) is what the estimator is told
     */
    public static SuccessiveHalving.Result search(TreeParzenEstimator estimator, int trials, int trialSteps,
                                                  Function<Map<String, Double>, Map<String, String>> describe,
                                                  SuccessiveHalving.TrialRunner runner) {
        if (trials < 1 || trialSteps < 1) {
            throw new IllegalArgumentException("Need at least one trial of at least one step, was " + trials
                    + " of " + trialSteps);
        }
        List<SuccessiveHalving.Trial> done = new ArrayList<>();
        SuccessiveHalving.Trial best = null;
        for (int id = 0; id < trials; id++) {
            Map<String, String> settings = describe.apply(estimator.ask());
            double loss = runner.run(settings, trialSteps);
            SuccessiveHalving.Trial trial = new SuccessiveHalving.Trial(id, settings, trialSteps,
                    Double.isNaN(loss) ? Double.POSITIVE_INFINITY : loss);
            Map<String, Double> point = new LinkedHashMap<>();
            settings.forEach((name, value) -> point.put(name, Double.parseDouble(value)));
            estimator.tell(point, trial.validationLoss());
            done.add(trial);
            if (best == null || trial.validationLoss() < best.validationLoss()) {
                best = trial;
            }
        }
        return new SuccessiveHalving.Result(best.hyperparameters(), done);
    }
}
