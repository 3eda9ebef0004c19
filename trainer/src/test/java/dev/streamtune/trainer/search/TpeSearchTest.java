package dev.streamtune.trainer.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TpeSearchTest {

    private static TreeParzenEstimator estimator(long seed) {
        return new TreeParzenEstimator(List.of(new TreeParzenEstimator.LogUniform("learningRate", 1e-4, 2e-3),
                new TreeParzenEstimator.Categorical("weightDecay", List.of(0.0, 0.01, 0.1))),
                new TreeParzenEstimator.Settings(2, 0.25, 24, 1.0), seed);
    }

    private static Map<String, String> describe(Map<String, Double> point) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("learningRate", String.format(Locale.ROOT, "%.2e", point.get("learningRate")));
        settings.put("weightDecay", Double.toString(point.get("weightDecay")));
        return settings;
    }

    @Test
    void runsTheGivenTrialsOfFixedStepsAndKeepsTheLowestLoss() {
        List<Integer> steps = new ArrayList<>();
        SuccessiveHalving.Result result = TpeSearch.search(estimator(1), 6, 40, TpeSearchTest::describe,
                (hp, n) -> {
                    steps.add(n);
                    return Math.abs(Math.log10(Double.parseDouble(hp.get("learningRate")) / 5e-4));
                });
        assertEquals(List.of(40, 40, 40, 40, 40, 40), steps);
        assertEquals(6, result.trials().size());
        SuccessiveHalving.Trial lowest = result.trials().stream()
                .min(java.util.Comparator.comparingDouble(SuccessiveHalving.Trial::validationLoss)).orElseThrow();
        assertEquals(lowest.hyperparameters(), result.best());
    }

    @Test
    void aDivergedTrialNeverWins() {
        int[] calls = {0};
        SuccessiveHalving.Result result = TpeSearch.search(estimator(2), 3, 10, TpeSearchTest::describe,
                (hp, n) -> calls[0]++ == 0 ? Double.NaN : 0.5);
        assertEquals(Double.POSITIVE_INFINITY, result.trials().get(0).validationLoss());
        assertTrue(result.trials().get(0).hyperparameters() != result.best());
        assertEquals(result.trials().get(1).hyperparameters(), result.best());
    }
}
