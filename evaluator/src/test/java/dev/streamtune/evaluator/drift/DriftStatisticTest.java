package dev.streamtune.evaluator.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class DriftStatisticTest {

    private static PooledSample pooled(List<DriftItem> reference, List<DriftItem> current, boolean embed) {
        List<DriftItem> items = new ArrayList<>(reference);
        items.addAll(current);
        return new PooledSample(items, embed ? DriftSamples.bagOfWords().embed(items) : null, reference.size());
    }

    private static double value(DriftStatistic statistic, PooledSample pooled) {
        return statistic.prepare(pooled).orElseThrow().value(pooled.grouping());
    }

    @Test
    void tokenJsCountsEachWordOncePerTextAndMatchesTheHistogramDistance() {
        PooledSample pooled = pooled(
                List.of(DriftItem.example("a", "pizza pizza pizza", "x", Map.of()),
                        DriftItem.example("b", "Pasta, wine", "x", Map.of())),
                List.of(DriftItem.example("c", "phone pizza", "x", Map.of())), false);
        double expected = Divergence.jensenShannonDistance(Map.of("pizza", 1L, "pasta", 1L, "wine", 1L),
                Map.of("phone", 1L, "pizza", 1L));
        assertEquals(expected, value(new TokenJs(), pooled), 1e-12);
        String evidence = new TokenJs().prepare(pooled).orElseThrow().evidence(pooled.grouping());
        assertTrue(evidence.startsWith("'phone' 0.0% -> 50.0%"), evidence);
    }

    @Test
    void lengthPsiBucketsWordsByPowersOfTwo() {
        assertEquals(0, LengthPsi.bucketOf(4));
        assertEquals(1, LengthPsi.bucketOf(5));
        assertEquals(8, LengthPsi.bucketOf(10_000));
        PooledSample same = pooled(List.of(DriftItem.example("a", "one two", "x", Map.of())),
                List.of(DriftItem.example("b", "three four", "x", Map.of())), false);
        assertEquals(0, value(new LengthPsi(), same), 1e-12);
    }

    @Test
    void categoryJsDoesNotApplyToASingleValueAndSeesAShareChange() {
        List<DriftItem> pos = List.of(DriftItem.example("a", "t", "pos", Map.of()));
        assertTrue(CategoryJs.labels("label.js").prepare(pooled(pos, pos, false)).isEmpty());
        PooledSample moved = pooled(pos, List.of(DriftItem.example("b", "t", "neg", Map.of())), false);
        assertEquals(1.0, value(CategoryJs.labels("label.js"), moved), 1e-12, "disjoint label sets");
        PooledSample locales = pooled(List.of(DriftItem.example("a", "t", "pos", Map.of("locale", "en"))),
                List.of(DriftItem.example("b", "t", "pos", Map.of())), false);
        assertEquals("slice.locale.js", CategoryJs.attribute("locale").name());
        assertEquals(1.0, value(CategoryJs.attribute("locale"), locales), 1e-12, "a missing attribute is a value");
    }

    @Test
    void aucIsTheMannWhitneyStatisticWithTiesCountingHalf() {
        assertEquals(1.0, DomainClassifierAuc.auc(new double[] {0.1, 0.2, 0.8, 0.9},
                new boolean[] {false, false, true, true}), 1e-12);
        assertEquals(0.5, DomainClassifierAuc.auc(new double[] {0.5, 0.5}, new boolean[] {false, true}), 1e-12);
        // positives 0.4 and 0.9 against negatives 0.1 and 0.6: 3 of 4 pairs ordered right
        assertEquals(0.75, DomainClassifierAuc.auc(new double[] {0.1, 0.4, 0.6, 0.9},
                new boolean[] {false, true, false, true}), 1e-12);
    }

    @Test
    void embeddingTestsTellTopicsApartAndNotTwoSamplesOfOneTopic() {
        SplittableRandom random = new SplittableRandom(7);
        List<DriftItem> gadgets = DriftSamples.texts("g", DriftSamples.GADGETS, 100, random, Map.of());
        List<DriftItem> moreGadgets = DriftSamples.texts("h", DriftSamples.GADGETS, 100, random, Map.of());
        List<DriftItem> food = DriftSamples.texts("f", DriftSamples.FOOD, 100, random, Map.of());

        double aucSame = value(new DomainClassifierAuc(), pooled(gadgets, moreGadgets, true));
        double aucShift = value(new DomainClassifierAuc(), pooled(gadgets, food, true));
        assertTrue(aucSame < 0.62, "one topic: " + aucSame);
        assertTrue(aucShift > 0.9, "two topics: " + aucShift);

        double mmdSame = value(new EmbeddingMmd(EmbeddingMmd.INPUT), pooled(gadgets, moreGadgets, true));
        double mmdShift = value(new EmbeddingMmd(EmbeddingMmd.INPUT), pooled(gadgets, food, true));
        assertTrue(mmdShift > 3 * mmdSame, mmdSame + " vs " + mmdShift);
        assertTrue(new DomainClassifierAuc().prepare(pooled(gadgets, food, false)).isEmpty(),
                "no embeddings, no embedding test");
    }

    @Test
    void aSliceStatisticSeesOnlyItsSlice() {
        SplittableRandom random = new SplittableRandom(3);
        List<DriftItem> reference = new ArrayList<>(DriftSamples.texts("a", DriftSamples.GADGETS, 40, random,
                Map.of("locale", "en")));
        reference.addAll(DriftSamples.texts("b", DriftSamples.GADGETS, 40, random, Map.of("locale", "fr")));
        List<DriftItem> current = new ArrayList<>(DriftSamples.texts("c", DriftSamples.GADGETS, 40, random,
                Map.of("locale", "en")));
        current.addAll(DriftSamples.texts("d", DriftSamples.FOOD, 40, random, Map.of("locale", "fr")));
        PooledSample pooled = pooled(reference, current, false);

        SliceStatistic fr = new SliceStatistic(new TokenJs(), "locale", "fr");
        SliceStatistic en = new SliceStatistic(new TokenJs(), "locale", "en");
        assertEquals("slice.locale=fr.input.token.js", fr.name());
        assertTrue(value(fr, pooled) > 2 * value(en, pooled), value(fr, pooled) + " vs " + value(en, pooled));
    }

    @Test
    void confidenceDropIsTheFallOfTheMeanConfidenceAndNeedsServedItems() {
        List<DriftItem> before = List.of(DriftItem.served("a", "t", "pos", 0.9), DriftItem.served("b", "t", "pos", 0.8));
        List<DriftItem> after = List.of(DriftItem.served("c", "t", "pos", 0.6));
        PooledSample pooled = pooled(before, after, false);
        assertEquals(0.25, value(new ConfidenceDrop(), pooled), 1e-12);
        assertEquals("estimated accuracy 0.850 -> 0.600",
                new ConfidenceDrop().prepare(pooled).orElseThrow().evidence(pooled.grouping()));
        assertTrue(new ConfidenceDrop().prepare(pooled(List.of(DriftItem.example("e", "t", "pos", Map.of())),
                after, false)).isEmpty());
    }
}
