package dev.streamtune.evaluator.drift;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.streamtune.schema.DriftReport;
import dev.streamtune.schema.PerformanceEstimate;

/**
 * Tests a closed window against its reference window, in up to three families of tests, each calibrated by
 * permutation ({@link PermutationFamily}) so that the report as a whole fires on a window drawn from the reference
 * distribution with probability at most the policy's false-alarm rate (split evenly over the families that ran):
 * <ul>
 *   <li>window: the two windows' examples: words, lengths, labels, slice shares, sentence embeddings (domain
 *       classifier AUC and MMD), and words, labels and embeddings of each large enough slice;</li>
 *   <li>served: texts served during the current window against the reference window's examples (embeddings and
 *       words): is production traffic still like what the model learned from;</li>
 *   <li>predictions: served predictions during the reference window against those during the current one:
 *       predicted labels and the label-free accuracy estimate (mean confidence).</li>
 * </ul>
 */
public final class DriftDetector {

    /** Sentence embeddings of sampled texts; one vector per item, in order. */
    public interface Embedder {
        float[][] embed(List<DriftItem> items);
    }

    /** What one report compares. Served lists may be empty (nothing served, or too little). */
    public record Comparison(String task, String referenceWindowId, String windowId, List<DriftItem> reference,
                             List<DriftItem> current, List<DriftItem> servedDuringReference,
                             List<DriftItem> servedDuringCurrent, PerformanceEstimate performance) {
    }

    private final DriftPolicy policy;
    private final Embedder embedder;

    /** @param embedder null: no embedding tests (the other tests still run) */
    public DriftDetector(DriftPolicy policy, Embedder embedder) {
        this.policy = policy;
        this.embedder = embedder;
    }

    public DriftPolicy policy() {
        return policy;
    }

    public DriftReport compare(Comparison c, Instant now) {
        List<Family> families = new ArrayList<>();
        families.add(new Family("window", c.reference(), c.current(), windowTests(c.reference(), c.current()), true));
        if (c.servedDuringCurrent().size() >= policy.minServedPredictions()) {
            families.add(new Family("served", c.reference(), c.servedDuringCurrent(),
                    List.of(new EmbeddingMmd(EmbeddingMmd.SERVED), new TokenJs(TokenJs.SERVED)), true));
        }
        if (c.servedDuringReference().size() >= policy.minServedPredictions()
                && c.servedDuringCurrent().size() >= policy.minServedPredictions()) {
            families.add(new Family("predictions", c.servedDuringReference(), c.servedDuringCurrent(),
                    List.of(CategoryJs.labels(CategoryJs.PREDICTION_JS), new ConfidenceDrop()), false));
        }
        double alpha = policy.falseAlarmRate() / families.size();

        Map<String, Double> scores = new LinkedHashMap<>();
        Map<String, Double> thresholds = new LinkedHashMap<>();
        Map<String, Double> pValues = new LinkedHashMap<>();
        Map<String, String> evidence = new LinkedHashMap<>();
        Map<String, Long> sampleSizes = new LinkedHashMap<>();
        List<String> exceeded = new ArrayList<>();
        sampleSizes.put("reference", (long) c.reference().size());
        sampleSizes.put("current", (long) c.current().size());
        sampleSizes.put("served", (long) c.servedDuringCurrent().size());
        sampleSizes.put("reference.served", (long) c.servedDuringReference().size());
        for (Family family : families) {
            PooledSample pooled = family.pool(family.embed ? embedder : null);
            List<PermutationFamily.NamedTest> ready = new ArrayList<>();
            family.tests.forEach(test -> test.prepare(pooled)
                    .ifPresent(prepared -> ready.add(new PermutationFamily.NamedTest(test.name(), prepared))));
            long seed = BottomKSample.rank(c.windowId() + "/" + family.name);
            for (PermutationFamily.Outcome o : PermutationFamily.run(ready, pooled.grouping(),
                    policy.permutations(), alpha, seed)) {
                double floor = policy.minEffect(o.name());
                scores.put(o.name(), o.score());
                thresholds.put(o.name(), Math.max(o.threshold(), floor));
                pValues.put(o.name(), o.adjustedP());
                if (!o.evidence().isEmpty()) {
                    evidence.put(o.name(), o.evidence());
                }
                if (o.fired() && o.score() >= floor) {
                    exceeded.add(o.name());
                }
            }
        }
        return DriftReport.newBuilder()
                .setReportId(UUID.randomUUID().toString())
                .setTask(c.task())
                .setWindowId(c.windowId())
                .setReferenceWindowId(c.referenceWindowId())
                .setCreatedAt(now)
                .setScores(scores)
                .setThresholds(thresholds)
                .setExceeded(exceeded)
                .setRetrainTriggered(false)
                .setPValues(pValues)
                .setFalseAlarmRate(policy.falseAlarmRate())
                .setEvidence(evidence)
                .setSampleSizes(sampleSizes)
                .setPerformance(c.performance())
                .build();
    }

    /** Every window test, and per slice value common enough on both sides, its words, labels and embeddings. */
    private List<DriftStatistic> windowTests(List<DriftItem> reference, List<DriftItem> current) {
        List<DriftStatistic> tests = new ArrayList<>(List.of(new TokenJs(), new LengthPsi(),
                CategoryJs.labels(CategoryJs.LABEL_JS), new DomainClassifierAuc(),
                new EmbeddingMmd(EmbeddingMmd.INPUT)));
        Map<String, Map<String, long[]>> counts = new TreeMap<>();
        count(reference, counts, 0);
        count(current, counts, 1);
        counts.keySet().forEach(attribute -> tests.add(CategoryJs.attribute(attribute)));
        List<Map.Entry<String, String>> slices = new ArrayList<>();
        Map<Map.Entry<String, String>, Long> sizes = new LinkedHashMap<>();
        counts.forEach((attribute, values) -> values.forEach((value, n) -> {
            if (n[0] >= policy.minSliceExamples() && n[1] >= policy.minSliceExamples()) {
                Map.Entry<String, String> slice = Map.entry(attribute, value);
                slices.add(slice);
                sizes.put(slice, n[0] + n[1]);
            }
        }));
        slices.sort(Comparator.comparing((Map.Entry<String, String> s) -> -sizes.get(s))
                .thenComparing(Map.Entry::getKey).thenComparing(Map.Entry::getValue));
        for (Map.Entry<String, String> slice : slices.subList(0, Math.min(policy.maxSlices(), slices.size()))) {
            for (DriftStatistic inner : List.of(new TokenJs(), CategoryJs.labels(CategoryJs.LABEL_JS),
                    new EmbeddingMmd(EmbeddingMmd.INPUT))) {
                tests.add(new SliceStatistic(inner, slice.getKey(), slice.getValue()));
            }
        }
        return tests;
    }

    private static void count(List<DriftItem> items, Map<String, Map<String, long[]>> counts, int side) {
        items.forEach(item -> item.attributes().forEach((attribute, value) -> counts
                .computeIfAbsent(attribute, a -> new TreeMap<>()).computeIfAbsent(value, v -> new long[2])[side]++));
    }

    /** One pooled sample and the tests run on it. */
    private record Family(String name, List<DriftItem> reference, List<DriftItem> current,
                          List<DriftStatistic> tests, boolean embed) {

        PooledSample pool(Embedder embedder) {
            List<DriftItem> items = new ArrayList<>(reference);
            items.addAll(current);
            return new PooledSample(items, embedder == null ? null : embedder.embed(items), reference.size());
        }
    }
}
