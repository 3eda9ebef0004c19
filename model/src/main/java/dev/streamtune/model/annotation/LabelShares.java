package dev.streamtune.model.annotation;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The share of each predicted label among a task's last {@code window} predictions: a bounded sliding count, so
 * a label the model stopped answering becomes rare again. Thread-safe (serving records from request threads).
 */
public final class LabelShares {

    private final int window;
    private final int minimumCount;
    private final ArrayDeque<String> recent;
    private final Map<String, Integer> counts = new HashMap<>();

    /**
     * @param window       how many of the latest predictions count; positive
     * @param minimumCount how many predictions must have been seen before a share says anything (before it, every
     *                     label of the first answers would be rare); in [1, window]
     */
    public LabelShares(int window, int minimumCount) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1: " + window);
        }
        if (minimumCount < 1 || minimumCount > window) {
            throw new IllegalArgumentException("minimumCount must be in [1, window=" + window + "]: " + minimumCount);
        }
        this.window = window;
        this.minimumCount = minimumCount;
        this.recent = new ArrayDeque<>(Math.min(window, 4096));
    }

    /** The last 1,000 predictions, once at least 50 have been seen. */
    public static LabelShares defaults() {
        return new LabelShares(1000, 50);
    }

    /** Counts one prediction of {@code label}; the oldest one leaves the window once it is full. */
    public synchronized void record(String label) {
        if (label == null) {
            throw new IllegalArgumentException("label must not be null");
        }
        recent.addLast(label);
        counts.merge(label, 1, Integer::sum);
        if (recent.size() > window) {
            counts.computeIfPresent(recent.removeFirst(), (l, n) -> n == 1 ? null : n - 1);
        }
    }

    /** The share of {@code label} among the predictions in the window; 0 for a label not among them, or none yet. */
    public synchronized double share(String label) {
        return recent.isEmpty() ? 0 : counts.getOrDefault(label, 0) / (double) recent.size();
    }

    /** How many predictions the window holds now (at most {@code window}). */
    public synchronized int count() {
        return recent.size();
    }

    /** Whether enough predictions have been seen for a share to call a label rare. */
    public synchronized boolean hasMinimumCount() {
        return recent.size() >= minimumCount;
    }
}
