package dev.streamtune.evaluator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.streamtune.schema.BiasMetrics;
import dev.streamtune.schema.LabelBias;
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
        // Five times over, so each slice has the ten examples of each label a rate needs (de: 5, too small).
        BiasMetrics locale = new SliceScorer("pos", 6).bias(repeated(examples(), 5)).get(0);
        assertEquals("locale", locale.getAttribute());
        assertEquals(0.5, locale.getAccuracyGap(), EPS, "en 1.0 vs fr 0.5; de (accuracy 0) is too small");
        assertEquals(0.0, locale.getDemographicParityDifference(), EPS, "both predict pos half of the time");
        assertEquals(0.5, locale.getEqualizedOddsDifference(), EPS, "TPR 1.0 vs 0.5");
    }

    @Test
    void eachGapComesWithTheStandardErrorOfItsTwoExtremeSlices() {
        // en: 18 of 20 right, fr: 10 of 20. Agresti-Coull: (18+2)/24 and (10+2)/24, each variance p(1-p)/24.
        List<ScoredExample> examples = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            examples.add(new ScoredExample(i % 2 == 0 ? "pos" : "neg", i < 18 ? (i % 2 == 0 ? "pos" : "neg")
                    : (i % 2 == 0 ? "neg" : "pos"), 0.9, Map.of("locale", "en")));
            examples.add(new ScoredExample(i % 2 == 0 ? "pos" : "neg", i < 10 ? (i % 2 == 0 ? "pos" : "neg")
                    : (i % 2 == 0 ? "neg" : "pos"), 0.9, Map.of("locale", "fr")));
        }
        BiasMetrics locale = new SliceScorer("pos", 20).bias(examples).get(0);
        assertEquals(0.4, locale.getAccuracyGap(), EPS);
        double expected = Math.sqrt(20.0 / 24 * (4.0 / 24) / 24 + 0.5 * 0.5 / 24);
        assertEquals(expected, locale.getAccuracyGapStandardError(), EPS);
        LabelBias pos = locale.getPerLabel().stream().filter(l -> l.getLabel().equals("pos")).findFirst()
                .orElseThrow();
        // pos: en TPR 9/10, fr TPR 5/10 (the FPR spread is the same 0.4: 1/10 vs 5/10, and the TPR one is taken)
        assertEquals(0.4, pos.getEqualizedOddsDifference(), EPS);
        assertEquals(Math.sqrt(11.0 / 14 * (3.0 / 14) / 14 + 0.5 * 0.5 / 14), pos.getEqualizedOddsStandardError(),
                EPS);
        assertEquals(pos.getEqualizedOddsStandardError(), locale.getEqualizedOddsStandardError(), EPS);
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

    /**
     * Three labels, two locales; ten times over, so every rate is measured on enough examples (the rates are the
     * pattern's). en: a->a a->a b->b b->c c->c c->a. fr: a->a a->b b->b b->b c->c c->a.
     */
    static List<ScoredExample> threeLabels() {
        List<ScoredExample> list = new ArrayList<>();
        add(list, "en", "a", "a", "a", "a", "b", "b", "b", "c", "c", "c", "c", "a");
        add(list, "fr", "a", "a", "a", "b", "b", "b", "b", "b", "c", "c", "c", "a");
        return repeated(list, 10);
    }

    @Test
    void eachLabelsGapsAreOneVersusRest() {
        // Per slice (en | fr), predicted rate, TPR on 2 (x10) positives, FPR on 4 (x10) negatives:
        // a: 3/6 | 2/6, 2/2 | 1/2, 1/4 | 1/4  -> parity 1/6, odds max(0.5, 0)    = 0.5
        // b: 1/6 | 3/6, 1/2 | 2/2, 0/4 | 1/4  -> parity 1/3, odds max(0.5, 0.25) = 0.5
        // c: 2/6 | 1/6, 1/2 | 1/2, 1/4 | 0/4  -> parity 1/6, odds max(0, 0.25)   = 0.25
        BiasMetrics locale = new SliceScorer(null, 20).bias(threeLabels()).get(0);

        assertEquals(List.of("a", "b", "c"), locale.getPerLabel().stream().map(LabelBias::getLabel).toList());
        assertLabel(locale, "a", 1.0 / 6, 0.5);
        assertLabel(locale, "b", 1.0 / 3, 0.5);
        assertLabel(locale, "c", 1.0 / 6, 0.25);
        assertEquals(1.0 / 3, locale.getDemographicParityDifference(), EPS, "the worst label's");
        assertEquals(0.5, locale.getEqualizedOddsDifference(), EPS, "the worst label's");
        assertEquals(0.0, locale.getAccuracyGap(), EPS, "4 of 6 right in both");
    }

    @Test
    void aRateOnFewerThanTenExamplesOfALabelInASliceDecidesNothing() {
        // "rare" has 10 examples in en, all right, and 1 in fr, wrong: a TPR spread of 1.0 out of one answer, and
        // the same for "common"'s FPR (fr's only other example).
        List<ScoredExample> list = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            add(list, "en", "common", "common");
            add(list, "fr", "common", "common");
        }
        for (int i = 0; i < 10; i++) {
            add(list, "en", "rare", "rare");
        }
        add(list, "fr", "rare", "common");
        BiasMetrics once = new SliceScorer(null, 20).bias(list).get(0);
        assertLabel(once, "rare", 10.0 / 30, 0.0);
        assertLabel(once, "common", 10.0 / 30, 0.0);

        // With ten in fr, half of them wrong, the spread counts.
        for (int i = 0; i < 9; i++) {
            add(list, "fr", "rare", i < 4 ? "common" : "rare");
        }
        BiasMetrics ten = new SliceScorer(null, 20).bias(list).get(0);
        assertEquals(0.5, label(ten, "rare").getEqualizedOddsDifference(), EPS, "TPR 1.0 vs 0.5");
        assertEquals(0.5, label(ten, "common").getEqualizedOddsDifference(), EPS, "FPR 0.0 vs 0.5");
    }

    @Test
    void bothLabelsOfABinaryTaskHaveTheAttributesEqualizedOddsGap() {
        // One label's false-positive rate is the other's true-positive rate turned over, so the per-label comparison
        // of the gate judges a binary task as the largest gap did.
        BiasMetrics locale = new SliceScorer("pos", 6).bias(repeated(examples(), 5)).get(0);
        assertEquals(0.5, label(locale, "pos").getEqualizedOddsDifference(), EPS);
        assertEquals(0.5, label(locale, "neg").getEqualizedOddsDifference(), EPS);
    }

    private static void assertLabel(BiasMetrics bias, String label, double parity, double odds) {
        LabelBias gaps = label(bias, label);
        assertEquals(parity, gaps.getDemographicParityDifference(), EPS, label + " parity");
        assertEquals(odds, gaps.getEqualizedOddsDifference(), EPS, label + " equalized odds");
    }

    private static LabelBias label(BiasMetrics bias, String label) {
        return bias.getPerLabel().stream().filter(l -> l.getLabel().equals(label)).findFirst().orElseThrow();
    }

    /** Adds (actual, predicted) pairs of one locale. */
    private static void add(List<ScoredExample> list, String locale, String... actualThenPredicted) {
        for (int i = 0; i < actualThenPredicted.length; i += 2) {
            list.add(new ScoredExample(actualThenPredicted[i], actualThenPredicted[i + 1], 0.9,
                    Map.of("locale", locale)));
        }
    }

    private static List<ScoredExample> repeated(List<ScoredExample> examples, int times) {
        List<ScoredExample> list = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            list.addAll(examples);
        }
        return list;
    }
}
