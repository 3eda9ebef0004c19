package dev.streamtune.trainer.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Successive halving (Jamieson and Talwalkar, 2016) over a list of candidate hyperparameter settings: every
 * survivor trains for the rung's budget, the best {@code 1/eta} go on with {@code eta} times the budget, until one
 * is left. Cheap enough to run on a window's subset before its full training.
 */
public final class SuccessiveHalving {

    /** Trains one setting from scratch for {@code steps} and returns its validation loss. */
    @FunctionalInterface
    public interface TrialRunner {
        double run(Map<String, String> hyperparameters, int steps);
    }

    public record Trial(int id, Map<String, String> hyperparameters, int steps, double validationLoss) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "trial %d %s: %d steps, validation loss %.4f", id,
                    hyperparameters, steps, validationLoss);
        }
    }

    public record Result(Map<String, String> best, List<Trial> trials) {
    }

    private SuccessiveHalving() {
    }

    /**
     * The optimizer steps {@link #search} spends on {@code candidates} settings (the sum over rungs of survivors x the
     * rung's steps), before early stopping ends any trial sooner: the budget another search method gets to be
     * compared fairly.
     */
    public static long budget(int candidates, int initialSteps, int eta) {
        if (candidates < 1 || eta < 2 || initialSteps < 1) {
            throw new IllegalArgumentException("Need settings, eta >= 2 and a positive budget");
        }
        long total = 0;
        long steps = initialSteps;
        for (int survivors = candidates; ; survivors = Math.max(1, survivors / eta), steps *= eta) {
            total += survivors * steps;
            if (survivors == 1) {
                return total;
            }
        }
    }

    public static Result search(List<Map<String, String>> settings, int initialSteps, int eta, TrialRunner runner) {
        if (settings.isEmpty() || eta < 2 || initialSteps < 1) {
            throw new IllegalArgumentException("Need settings, eta >= 2 and a positive budget");
        }
        List<Integer> survivors = new ArrayList<>();
        for (int i = 0; i < settings.size(); i++) {
            survivors.add(i);
        }
        List<Trial> trials = new ArrayList<>();
        int steps = initialSteps;
        while (true) {
            List<Trial> rung = new ArrayList<>();
            for (int id : survivors) {
                double loss = runner.run(settings.get(id), steps);
                rung.add(new Trial(id, settings.get(id), steps, Double.isNaN(loss) ? Double.POSITIVE_INFINITY : loss));
            }
            trials.addAll(rung);
            rung.sort(Comparator.comparingDouble(Trial::validationLoss));
            if (rung.size() == 1) {
                return new Result(rung.get(0).hyperparameters(), trials);
            }
            survivors = rung.subList(0, Math.max(1, rung.size() / eta)).stream().map(Trial::id).toList();
            steps *= eta;
        }
    }
}
