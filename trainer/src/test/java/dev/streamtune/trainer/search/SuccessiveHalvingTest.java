package dev.streamtune.trainer.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SuccessiveHalvingTest {

    @Test
    void keepsTheBestHalfEachRungWithDoubleBudgetUntilOneIsLeft() {
        List<Map<String, String>> settings = List.of(Map.of("lr", "0.1"), Map.of("lr", "0.01"), Map.of("lr", "0.001"),
                Map.of("lr", "0.0001"));
        List<String> calls = new ArrayList<>();
        // Loss is distance from the best learning rate 0.01, shrinking with more steps.
        SuccessiveHalving.Result result = SuccessiveHalving.search(settings, 10, 2, (hp, steps) -> {
            calls.add(hp.get("lr") + "@" + steps);
            return Math.abs(Math.log10(Double.parseDouble(hp.get("lr"))) + 2) + 1.0 / steps;
        });

        assertEquals(Map.of("lr", "0.01"), result.best());
        assertEquals(List.of("0.1@10", "0.01@10", "0.001@10", "0.0001@10", "0.01@20", "0.1@20", "0.01@40"), calls);
        assertEquals(7, result.trials().size());
    }

    @Test
    void aDivergedTrialLosesInsteadOfWinningWithNaN() {
        SuccessiveHalving.Result result = SuccessiveHalving.search(List.of(Map.of("lr", "9"), Map.of("lr", "0.01")),
                5, 2, (hp, steps) -> hp.get("lr").equals("9") ? Double.NaN : 0.3);
        assertEquals(Map.of("lr", "0.01"), result.best());
    }

    @Test
    void theBudgetIsTheStepsTheSearchRuns() {
        for (int[] c : new int[][] {{4, 20, 2}, {5, 20, 2}, {9, 10, 3}, {1, 7, 2}, {3, 5, 4}}) {
            List<Map<String, String>> settings = new ArrayList<>();
            for (int i = 0; i < c[0]; i++) {
                settings.add(Map.of("i", Integer.toString(i)));
            }
            long[] spent = {0};
            SuccessiveHalving.search(settings, c[1], c[2], (hp, steps) -> {
                spent[0] += steps;
                return Double.parseDouble(hp.get("i"));
            });
            assertEquals(spent[0], SuccessiveHalving.budget(c[0], c[1], c[2]), java.util.Arrays.toString(c));
        }
        assertEquals(240, SuccessiveHalving.budget(4, 20, 2), "4 x 20 + 2 x 40 + 1 x 80");
    }
}
