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
}
