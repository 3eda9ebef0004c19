package dev.streamtune.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class LabelEfficiencyBenchTest {

    @Test
    void macroF1AveragesOverLabelsTrueOrPredictedAsScikitLearnDoes() {
        // a: 2 right of 3 true, predicted 2 -> F1 2*2/(2+3) = 0.8; b: 1 right, true 1, predicted 1 -> 1.0;
        // c: never true, predicted once -> 0
        LabelEfficiencyBench.Score score = LabelEfficiencyBench.score(List.of("a", "a", "a", "b"),
                List.of("a", "a", "c", "b"));
        assertEquals(0.75, score.accuracy());
        assertEquals((0.8 + 1.0 + 0.0) / 3, score.macroF1(), 1e-12);
    }

    @Test
    void quickIsOneSeedAndTwoRounds() {
        LabelEfficiencyBench.Options quick = LabelEfficiencyBench.Options.parse(new String[] {"--quick"});
        assertEquals(List.of(1L), quick.seeds());
        assertEquals(2, quick.rounds());
    }

    @Test
    void aStreamSmallerThanTheHoursBudgetIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> LabelEfficiencyBench.Options.parse(
                new String[] {"--per-round", "100", "--stream", "50"}));
    }
}
