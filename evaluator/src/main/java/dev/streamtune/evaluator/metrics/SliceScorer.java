package dev.streamtune.evaluator.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.streamtune.schema.BiasMetrics;
import dev.streamtune.schema.SliceMetrics;

/**
 * Per-slice metrics and fairness gaps across the values of each slice attribute (e.g. locale = en-GB / fr-FR).
 *
 * <p>Rates are one-vs-rest for the task's positive label. The fairness gaps take the worst class: demographic parity
 * difference is the largest spread, across slices, of the rate at which any one label is predicted; equalized odds
 * difference is the largest spread of that label's true- or false-positive rate. Slices smaller than
 * {@code minSliceSize} are reported but never decide a gap.
 */
public final class SliceScorer {

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
            double accuracyGap = spread(deciding.stream().mapToDouble(members -> ClassificationScorer.ratio(
                    members.stream().filter(ScoredExample::correct).count(), members.size())).toArray());
            double parity = 0;
            double odds = 0;
            for (String label : labels) {
                List<Rates> rates = deciding.stream().map(members -> Rates.of(members, label)).toList();
                parity = Math.max(parity, spread(rates.stream().mapToDouble(Rates::positiveRate).toArray()));
                odds = Math.max(odds, Math.max(
                        spread(rates.stream().filter(r -> r.positives > 0).mapToDouble(Rates::truePositiveRate).toArray()),
                        spread(rates.stream().filter(r -> r.negatives > 0).mapToDouble(Rates::falsePositiveRate).toArray())));
            }
            result.add(new BiasMetrics(attribute, accuracyGap, parity, odds, List.of()));
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
