package dev.streamtune.trainer.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.streamtune.model.LabeledText;
import dev.streamtune.schema.CleanExample;

/**
 * The batches of one window's training, fixed by the seed: epochs over the window's examples in a fresh shuffle
 * each, every batch topped up by the round's strategies (replayed examples at the configured ratio). Every example keeps its
 * {@code weight} (replayed ones too: the replay buffer holds whole {@code CleanExample}s), which the loss uses. Deterministic, so a resumed run
 * can skip exactly the batches it already trained on.
 */
public final class TrainingPlan {

    private final List<List<LabeledText>> batches;

    private TrainingPlan(List<List<LabeledText>> batches) {
        this.batches = batches;
    }

    /**
     * Examples a strategy adds to every batch (replay): {@code round(batchSize * ratio)} of each batch's slots,
     * drawn with the plan's seeded random, so the plan stays reproducible.
     */
    public interface TopUp {

        /** Share of each batch this top-up takes, in [0, 1). */
        double ratio();

        List<CleanExample> draw(int n, Random random);
    }

    /**
     * @param topUps     examples added to every batch, each its share of the batch, in this order
     * @param maxBatches cap on the number of batches, whatever the epochs say
     */
    public static TrainingPlan of(List<CleanExample> examples, List<TrainingPlan.TopUp> topUps, int batchSize,
                                  int epochs, int maxBatches, long seed) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("A window without training examples cannot be trained on");
        }
        int[] extra = topUps.stream().mapToInt(t -> (int) Math.round(batchSize * t.ratio())).toArray();
        int fresh = Math.max(1, batchSize - java.util.Arrays.stream(extra).sum());
        Random random = new Random(seed);
        List<List<LabeledText>> batches = new ArrayList<>();
        for (int epoch = 0; epoch < epochs && batches.size() < maxBatches; epoch++) {
            List<CleanExample> order = new ArrayList<>(examples);
            java.util.Collections.shuffle(order, random);
            for (int from = 0; from < order.size() && batches.size() < maxBatches; from += fresh) {
                List<LabeledText> batch = new ArrayList<>(batchSize);
                order.subList(from, Math.min(order.size(), from + fresh)).forEach(e -> batch.add(labeled(e)));
                for (int t = 0; t < topUps.size(); t++) {
                    if (extra[t] > 0) {
                        topUps.get(t).draw(extra[t], random).forEach(e -> batch.add(labeled(e)));
                    }
                }
                batches.add(batch);
            }
        }
        return new TrainingPlan(batches);
    }

    /**
     * The replay share for a round: the configured one, raised to the share of the round's labels that only the
     * replay buffer holds, but at most {@code max}. A window of only newly appended labels would otherwise fill most
     * of every batch with the new classes, and their softmax rows would learn to outbid the old ones (the
     * class-incremental bias): in LabelGrowthIT old-label accuracy fell 0.944 -> 0.544 at the configured 0.3, and
     * rose to 1.000 with this rule (0.6 there: 3 of 5 labels only in the buffer). The cap is a cost bound: epochs
     * run over the window's own examples, so a share {@code r} makes {@code 1 / (1 - r)} times the batches.
     */
    public static double replayRatio(double configured, double max, java.util.Collection<String> windowLabels,
                                     java.util.Collection<String> replayLabels) {
        java.util.Set<String> all = new java.util.HashSet<>(windowLabels);
        all.addAll(replayLabels);
        java.util.Set<String> onlyReplayed = new java.util.HashSet<>(replayLabels);
        onlyReplayed.removeAll(windowLabels);
        double share = all.isEmpty() ? 0 : (double) onlyReplayed.size() / all.size();
        return Math.min(max, Math.max(configured, share));
    }

    /**
     * {@code examples} in a fixed order (by id, then content hash), whatever order they arrived in. A window is
     * gathered from several partitions whose records interleave differently from run to run, and every seeded draw
     * of a round (the plan's shuffles, replay top-ups, the Fisher sample, the search subset, the replay reservoir)
     * permutes its input: so the same examples in another order gave another adapter.
     */
    public static List<CleanExample> canonicalOrder(java.util.Collection<CleanExample> examples) {
        return examples.stream().sorted(java.util.Comparator.comparing(CleanExample::getId)
                .thenComparing(CleanExample::getContentHash)).toList();
    }

    public List<List<LabeledText>> batches() {
        return batches;
    }

    public int size() {
        return batches.size();
    }

    /** The example as the model trains on it, with its weight (ingest validated it: positive, finite). */
    public static LabeledText labeled(CleanExample example) {
        return new LabeledText(example.getText(), example.getLabel(), example.getWeight());
    }
}
