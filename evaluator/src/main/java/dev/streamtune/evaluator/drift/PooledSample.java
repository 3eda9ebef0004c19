package dev.streamtune.evaluator.drift;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The reference group's items followed by the current group's, with their sentence embeddings when the caller has
 * them (null otherwise).
 */
public record PooledSample(List<DriftItem> items, float[][] embeddings, int referenceSize) {

    public PooledSample {
        if (embeddings != null && embeddings.length != items.size()) {
            throw new IllegalArgumentException("one embedding per item");
        }
    }

    public int size() {
        return items.size();
    }

    /** The real grouping: the reference items first, then the current ones. */
    public boolean[] grouping() {
        boolean[] current = new boolean[items.size()];
        for (int i = referenceSize; i < current.length; i++) {
            current[i] = true;
        }
        return current;
    }

    /** Indices of the items {@code keep} accepts, in order. */
    public int[] indicesWhere(Predicate<DriftItem> keep) {
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (keep.test(items.get(i))) {
                kept.add(i);
            }
        }
        return kept.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The items at {@code indices} (a slice), their embeddings with them. */
    public PooledSample subset(int[] indices) {
        List<DriftItem> chosen = new ArrayList<>(indices.length);
        float[][] vectors = embeddings == null ? null : new float[indices.length][];
        int reference = 0;
        for (int j = 0; j < indices.length; j++) {
            chosen.add(items.get(indices[j]));
            if (vectors != null) {
                vectors[j] = embeddings[indices[j]];
            }
            reference += indices[j] < referenceSize ? 1 : 0;
        }
        return new PooledSample(chosen, vectors, reference);
    }

    /** How many of {@code indices} the grouping puts in each group: [reference, current]. */
    static int[] groupSizes(boolean[] current, int[] indices) {
        int cur = 0;
        for (int i : indices) {
            cur += current[i] ? 1 : 0;
        }
        return new int[] {indices.length - cur, cur};
    }
}
