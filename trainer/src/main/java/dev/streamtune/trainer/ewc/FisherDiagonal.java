package dev.streamtune.trainer.ewc;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Online EWC state (Schwarz et al., 2018): a running diagonal Fisher information per trainable parameter and the
 * parameter values it anchors to. After each window, {@code F <- decay * F + F_window} and the anchor moves to the
 * weights just learned; the penalty {@code lambda/2 * sum F (theta - anchor)^2} then protects everything learned so
 * far without keeping one Fisher per window.
 */
public final class FisherDiagonal {

    private final Map<String, float[]> fisher;
    private final Map<String, float[]> anchor;

    private FisherDiagonal(Map<String, float[]> fisher, Map<String, float[]> anchor) {
        this.fisher = fisher;
        this.anchor = anchor;
    }

    public static FisherDiagonal empty() {
        return new FisherDiagonal(new HashMap<>(), new HashMap<>());
    }

    public static FisherDiagonal of(Map<String, float[]> fisher, Map<String, float[]> anchor) {
        if (!fisher.keySet().equals(anchor.keySet())) {
            throw new IllegalArgumentException("Fisher and anchor name different parameters");
        }
        return new FisherDiagonal(new HashMap<>(fisher), new HashMap<>(anchor));
    }

    public boolean isEmpty() {
        return fisher.isEmpty();
    }

    /**
     * Folds in the Fisher estimated on the window just trained and re-anchors at the weights learned on it.
     * A parameter new in this window (e.g. a head for new labels) starts from its window estimate. Non-finite
     * estimates count as zero importance.
     *
     * @return how many non-finite values of the window estimate were zeroed
     */
    public int consolidate(Map<String, float[]> windowFisher, Map<String, float[]> learned, double decay) {
        int nonFinite = 0;
        for (var entry : windowFisher.entrySet()) {
            float[] update = entry.getValue().clone();
            for (int i = 0; i < update.length; i++) {
                if (!Float.isFinite(update[i])) {
                    update[i] = 0f; // a broken estimate must not turn the whole penalty into NaN
                    nonFinite++;
                }
            }
            float[] running = fisher.get(entry.getKey());
            if (running == null || running.length != update.length) {
                fisher.put(entry.getKey(), update);
                continue;
            }
            for (int i = 0; i < running.length; i++) {
                running[i] = (float) (decay * running[i] + update[i]);
            }
        }
        fisher.keySet().retainAll(windowFisher.keySet());
        anchor.clear();
        learned.forEach((name, values) -> {
            if (fisher.containsKey(name)) {
                anchor.put(name, values.clone());
            }
        });
        return nonFinite;
    }

    /**
     * This state for a classifier whose head grew by appended labels ({@code parameters}: its values now). A
     * parameter longer than its Fisher vector grew by rows appended at its end (a head is {@code [labels, hidden]},
     * row-major): the new entries get Fisher zero (a new row has no importance yet: nothing was learned in it) and
     * their current values as anchor; the old entries are kept exactly. Parameters that did not grow are kept as
     * they are.
     */
    public FisherDiagonal grownTo(Map<String, float[]> parameters) {
        Map<String, float[]> grownFisher = new HashMap<>();
        Map<String, float[]> grownAnchor = new HashMap<>();
        fisher.forEach((name, f) -> {
            float[] now = parameters.get(name);
            float[] star = anchor.get(name);
            if (now != null && now.length > f.length) {
                float[] newAnchor = java.util.Arrays.copyOf(star, now.length);
                System.arraycopy(now, f.length, newAnchor, f.length, now.length - f.length);
                grownFisher.put(name, java.util.Arrays.copyOf(f, now.length));
                grownAnchor.put(name, newAnchor);
            } else {
                grownFisher.put(name, f.clone());
                grownAnchor.put(name, star.clone());
            }
        });
        return new FisherDiagonal(grownFisher, grownAnchor);
    }

    /** {@code 1/2 * sum F (theta - anchor)^2} over the given parameter values; for tests and logging. */
    public double penalty(Map<String, float[]> parameters) {
        double sum = 0;
        for (var entry : fisher.entrySet()) {
            float[] theta = parameters.get(entry.getKey());
            float[] star = anchor.get(entry.getKey());
            if (theta == null || star == null) {
                continue;
            }
            float[] f = entry.getValue();
            for (int i = 0; i < f.length; i++) {
                double d = theta[i] - star[i];
                sum += f[i] * d * d;
            }
        }
        return 0.5 * sum;
    }

    public Map<String, float[]> fisher() {
        return Collections.unmodifiableMap(fisher);
    }

    public Map<String, float[]> anchor() {
        return Collections.unmodifiableMap(anchor);
    }
}
