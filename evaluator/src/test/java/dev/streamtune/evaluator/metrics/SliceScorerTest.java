package dev.streamtune.evaluator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.streamtune.schema.BiasMetrics;
import dev.streamtune.schema.SliceMetrics;
import org.junit.jupiter.api.Test;

class SliceScorerTest {

    private static final double EPS = 1e-9;

    /**
     * en: perfect. fr: actual [pos,pos,neg,neg] predicted [neg,pos,neg,pos]. de: one wrong answer, too small to count.
     */
    static List<ScoredExample> examples() {
        List<ScoredExample> list = new ArrayList<>();
        String[][] en = {{"pos", "pos"}, {"pos", "pos"}, {"neg", "neg"}, {"neg", "neg"}};
        String[][] fr = {{"pos", "neg"}, {"pos", "pos"}, {"neg", "neg"}, {"neg", "pos"}};
        for (String[] pair : en) {
            list.add(new ScoredExample(pair[0], pair[1], 0.9, Map.of("locale", "en")));
        }
        for (String[] pair : fr) {
            list.add(new ScoredExample(pair[0], pair[1], 0.9, Map.of("locale", "fr")));
        }
        list.add(new ScoredExample("pos", "neg", 0.9, Map.of("locale", "de")));
        return list;
    }

    @Test
    void sliceRatesAreOneVersusRestForThePositiveLabel() {
        List<SliceMetrics> slices = new SliceScorer("pos", 3).slices(examples());
        assertEquals(3, slices.size(), "small slices are still reported");
        SliceMetrics fr = slices.stream().filter(s -> s.getValue().equals("fr")).findFirst().orElseThrow();
        assertEquals(4, fr.getExamples());
        assertEquals(0.5, fr.getAccuracy(), EPS);
        assertEquals(0.5, fr.getPositiveRate(), EPS);
        assertEquals(0.5, fr.getTruePositiveRate(), EPS);
        assertEquals(0.5, fr.getFalsePositiveRate(), EPS);
    }

    @Test
    void gapsComeFromSlicesAtLeastMinSizeOnly() {
        BiasMetrics locale = new SliceScorer("pos", 3).bias(examples()).get(0);
        assertEquals("locale", locale.getAttribute());
        assertEquals(0.5, locale.getAccuracyGap(), EPS, "en 1.0 vs fr 0.5; de (accuracy 0) is too small");
        assertEquals(0.0, locale.getDemographicParityDifference(), EPS, "both predict pos half of the time");
        assertEquals(0.5, locale.getEqualizedOddsDifference(), EPS, "TPR 1.0 vs 0.5");
    }

    @Test
    void lowerMinimumLetsTheTinySliceDecide() {
        BiasMetrics locale = new SliceScorer("pos", 1).bias(examples()).get(0);
        assertEquals(1.0, locale.getAccuracyGap(), EPS);
    }

    @Test
    void anAttributeWithOneTrustedSliceHasNoGap() {
        assertEquals(List.of(), new SliceScorer("pos", 5).bias(examples()));
    }
}
