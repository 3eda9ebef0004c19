package dev.streamtune.evaluator.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.streamtune.schema.BiasMetrics;
import dev.streamtune.schema.LabelBias;
import dev.streamtune.schema.SliceMetrics;

/**
 * Per-slice metrics and fairness gaps across the values of each slice attribute (e.g. locale = en-GB / fr-FR).
 *
 * <p>Slice rates are one-vs-rest for the task's positive label. The fairness gaps are one-vs-rest for every label,
 * binary tasks included (Fairlearn's parity metrics refuse multiclass tasks; one-vs-rest is how they generalise): a
 * label's demographic parity difference is the spread, across slices, of the rate at which it is predicted; its
 * equalized odds difference the wider of the spreads of its true- and false-positive rates. Each label's gaps are
 * reported ({@code perLabel}), and the worst label's are the attribute's. Slices smaller than {@code minSliceSize}
 * are reported but never decide a gap; within the others, a rate decides only where it is measured on at least
 * {@link #MIN_RATE_EXAMPLES} examples. Each gap comes with its standard error ({@link Gap}), so the gate can tell
 * a widening from sampling noise.
 */
public final class SliceScorer {

    /**
     * Examples a rate must be measured on, in one slice, to decide a gap: actual examples of the label for its
     * true-positive rate, examples of the other labels for its false-positive rate. A rare label with one example in
     * a slice would otherwise make a spread of 0 or 1 out of one answer, and the gate compares each label's gap; with
     * ten, one answer moves a rate by at most 0.1. Ten also keeps both rates of a binary task in a balanced slice of
     * the default minimum size (20), so binary gaps stay as they were wherever each class has ten examples a slice.
     * Applied to both rates, since for a binary task one label's false-positive rate is the other's true-positive
     * rate turned over.
     */
    public static final int MIN_RATE_EXAMPLES = 10;

    private final String positiveLabel;
    private final int minSliceSize;

    public SliceScorer(String positiveLabel, int minSliceSize) {
        this.positiveLabel = positiveLabel;
        this.minSliceSize = minSliceSize;
    }

    public List<SliceMetrics> slices(List<ScoredExample> examples) {
        List<SliceMetrics> result = new ArrayList<>();
        groupBySlice(examples).forEach((attribute, byValue) -> byValue.forEach((value, members) -> {
            Rates rates = Rates.of(members, positiveLabel);
            result.add(new SliceMetrics(attribute, value, (long) members.size(),
                    ClassificationScorer.ratio(members.stream().filter(ScoredExample::correct).count(), members.size()),
                    rates.positiveRate(), rates.truePositiveRate(), rates.falsePositiveRate()));
        }));
        return result;
    }

    public List<BiasMetrics> bias(List<ScoredExample> examples) {
        TreeSet<String> labels = new TreeSet<>();
        examples.forEach(e -> {
            labels.add(e.actual());
            labels.add(e.predicted());
        });
        List<BiasMetrics> result = new ArrayList<>();
        groupBySlice(examples).forEach((attribute, byValue) -> {
            List<List<ScoredExample>> deciding = byValue.values().stream()
                    .filter(members -> members.size() >= minSliceSize).toList();
            if (deciding.size() < 2) {
                return; // a gap needs two slices big enough to trust
            }
            Gap accuracy = Gap.of(deciding.stream().map(members -> new long[] {
                    members.stream().filter(ScoredExample::correct).count(), members.size()}).toList());
            List<SliceRates> sliceRates = deciding.stream().map(SliceRates::of).toList();
            List<LabelBias> perLabel = new ArrayList<>(labels.size());
            for (String label : labels) {
                List<Rates> rates = sliceRates.stream().map(slice -> slice.of(label)).toList();
                Gap truePositives = Gap.of(rates.stream().filter(r -> r.positives >= MIN_RATE_EXAMPLES)
                        .map(r -> new long[] {r.truePositives, r.positives}).toList());
                Gap falsePositives = Gap.of(rates.stream().filter(r -> r.negatives >= MIN_RATE_EXAMPLES)
                        .map(r -> new long[] {r.falsePositives, r.negatives}).toList());
                Gap odds = truePositives.spread() >= falsePositives.spread() ? truePositives : falsePositives;
                perLabel.add(new LabelBias(label, spread(rates.stream().mapToDouble(Rates::positiveRate).toArray()),
                        odds.spread(), odds.standardError()));
            }
            LabelBias worst = perLabel.stream()
                    .max(Comparator.comparingDouble(LabelBias::getEqualizedOddsDifference)).orElse(null);
            result.add(new BiasMetrics(attribute, accuracy.spread(),
                    perLabel.stream().mapToDouble(LabelBias::getDemographicParityDifference).max().orElse(0),
                    worst == null ? 0 : worst.getEqualizedOddsDifference(), accuracy.standardError(),
                    worst == null ? 0 : worst.getEqualizedOddsStandardError(), perLabel));
        });
        return result;
    }

    /** attribute -> value -> examples, both levels sorted so reports are stable. */
    private static Map<String, Map<String, List<ScoredExample>>> groupBySlice(List<ScoredExample> examples) {
        Map<String, Map<String, List<ScoredExample>>> groups = new TreeMap<>();
        for (ScoredExample e : examples) {
            e.attributes().forEach((attribute, value) -> groups.computeIfAbsent(attribute, a -> new TreeMap<>())
                    .computeIfAbsent(value, v -> new ArrayList<>()).add(e));
        }
        return groups;
    }

    private static double spread(double[] values) {
        if (values.length < 2) {
            return 0;
        }
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return max - min;
    }

    /**
     * The spread of a proportion across slices and its sampling noise: the standard error of the difference between
     * the highest and the lowest slice's proportion, each from its own count (Agresti-Coull: two successes and two
     * failures added, so a slice where every answer was right still has some uncertainty).
     */
    record Gap(double spread, double standardError) {

        /** @param proportions {successes, trials} per slice, trials positive */
        static Gap of(List<long[]> proportions) {
            if (proportions.size() < 2) {
                return new Gap(0, 0);
            }
            long[] highest = proportions.get(0);
            long[] lowest = proportions.get(0);
            for (long[] p : proportions) {
                highest = ratio(p) > ratio(highest) ? p : highest;
                lowest = ratio(p) < ratio(lowest) ? p : lowest;
            }
            return new Gap(ratio(highest) - ratio(lowest),
                    Math.sqrt(variance(highest[0], highest[1]) + variance(lowest[0], lowest[1])));
        }

        private static double ratio(long[] p) {
            return ClassificationScorer.ratio(p[0], p[1]);
        }

        static double variance(long successes, long trials) {
            double adjusted = (successes + 2.0) / (trials + 4.0);
            return adjusted * (1 - adjusted) / (trials + 4.0);
        }
    }

    /** Every label's rates in one slice, counted in one pass (tasks have up to 1000 labels). */
    private record SliceRates(long size, Map<String, Rates> byLabel) {

        static SliceRates of(List<ScoredExample> members) {
            long size = members.size();
            Map<String, long[]> counts = new HashMap<>(); // predicted, actual, true positives
            for (ScoredExample e : members) {
                counts.computeIfAbsent(e.predicted(), label -> new long[3])[0]++;
                counts.computeIfAbsent(e.actual(), label -> new long[3])[1]++;
                if (e.correct()) {
                    counts.get(e.actual())[2]++;
                }
            }
            Map<String, Rates> byLabel = new HashMap<>();
            counts.forEach((label, c) -> byLabel.put(label,
                    new Rates(size, c[0], c[1], c[2], size - c[1], c[0] - c[2])));
            return new SliceRates(size, byLabel);
        }

        /** A label the slice neither has nor is given: no positives, never predicted. */
        Rates of(String label) {
            return byLabel.getOrDefault(label, new Rates(size, 0, 0, 0, size, 0));
        }
    }

    private record Rates(long size, long predictedPositive, long positives, long truePositives, long negatives,
                         long falsePositives) {

        static Rates of(List<ScoredExample> members, String label) {
            long predictedPositive = 0;
            long positives = 0;
            long truePositives = 0;
            long falsePositives = 0;
            for (ScoredExample e : members) {
                boolean actual = e.actual().equals(label);
                boolean predicted = e.predicted().equals(label);
                predictedPositive += predicted ? 1 : 0;
                positives += actual ? 1 : 0;
                truePositives += actual && predicted ? 1 : 0;
                falsePositives += !actual && predicted ? 1 : 0;
            }
            return new Rates(members.size(), predictedPositive, positives, truePositives,
                    members.size() - positives, falsePositives);
        }

        double positiveRate() {
            return ClassificationScorer.ratio(predictedPositive, size);
        }

        double truePositiveRate() {
            return ClassificationScorer.ratio(truePositives, positives);
        }

        double falsePositiveRate() {
            return ClassificationScorer.ratio(falsePositives, negatives);
        }
    }

    /** For callers that want slices keyed for lookups. */
    public static Map<String, BiasMetrics> byAttribute(List<BiasMetrics> bias) {
        Map<String, BiasMetrics> map = new LinkedHashMap<>();
        bias.forEach(b -> map.put(b.getAttribute(), b));
        return map;
    }
}
