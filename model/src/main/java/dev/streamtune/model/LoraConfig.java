package dev.streamtune.model;

import dev.streamtune.model.nn.LoraTarget;
import java.util.EnumSet;
import java.util.Set;

/**
 * Low-rank adapter settings.
 *
 * @param rank r, the inner dimension of each adapter (0 with no targets: no LoRA at all)
 * @param alpha scaling numerator; the update is multiplied by {@code alpha / rank}
 * @param dropout dropout on the adapter input while training (PEFT's {@code lora_dropout})
 * @param targets which projections of every layer get an adapter
 */
public record LoraConfig(int rank, float alpha, float dropout, Set<LoraTarget> targets) {

    public LoraConfig {
        targets = targets.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(EnumSet.copyOf(targets));
        if (rank < 0 || (rank == 0) != targets.isEmpty()) {
            throw new IllegalArgumentException("LoRA rank " + rank + " with targets " + targets
                    + ": need rank > 0 with at least one target, or rank 0 with none");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("LoRA dropout must be in [0, 1): " + dropout);
        }
        if (rank > 0 && !(alpha > 0)) {
            throw new IllegalArgumentException("LoRA alpha must be positive: " + alpha);
        }
    }

    /** r = 8, alpha = 16, no dropout, on the query and value projections (the LoRA paper's setting). */
    public static LoraConfig defaults() {
        return new LoraConfig(8, 16f, 0f, EnumSet.of(LoraTarget.QUERY, LoraTarget.VALUE));
    }

    /** No adapters: only the head (and any unfrozen layers) train. */
    public static LoraConfig none() {
        return new LoraConfig(0, 0f, 0f, Set.of());
    }

    public LoraConfig withRank(int newRank, float newAlpha) {
        return new LoraConfig(newRank, newAlpha, dropout, targets);
    }

    public LoraConfig withDropout(float newDropout) {
        return new LoraConfig(rank, alpha, newDropout, targets);
    }

    public LoraConfig withTargets(Set<LoraTarget> newTargets) {
        return new LoraConfig(rank, alpha, dropout, newTargets);
    }

    public boolean enabled() {
        return rank > 0;
    }

    /** alpha / rank. */
    public float scaling() {
        return rank == 0 ? 0f : alpha / rank;
    }
}
