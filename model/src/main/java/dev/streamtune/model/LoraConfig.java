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
 * @param targets which projections of every adapted layer get an adapter
 * @param firstLayer the lowest encoder layer with adapters (PEFT's {@code layers_to_transform} is {@code
 *     firstLayer .. top}); 0 adapts every layer. The layers below have nothing to train, so they run without
 *     dropout and their output depends on the text alone ({@link ClassifierConfig#frozenBottomLayers}): a trainer
 *     can compute it once per text and a training step runs only the adapted layers, forward and backward
 * @param rankStabilized rsLoRA (Kalajdzievski 2023): scale the update by {@code alpha / sqrt(rank)} instead of
 *     {@code alpha / rank}, so higher ranks do not learn ever more slowly
 */
public record LoraConfig(int rank, float alpha, float dropout, Set<LoraTarget> targets, int firstLayer,
        boolean rankStabilized) {

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
        if (firstLayer < 0) {
            throw new IllegalArgumentException("LoRA first layer must be >= 0: " + firstLayer);
        }
    }

    /** Plain LoRA scaling ({@code alpha / rank}). */
    public LoraConfig(int rank, float alpha, float dropout, Set<LoraTarget> targets, int firstLayer) {
        this(rank, alpha, dropout, targets, firstLayer, false);
    }

    /** Adapters in every layer, plain LoRA scaling. */
    public LoraConfig(int rank, float alpha, float dropout, Set<LoraTarget> targets) {
        this(rank, alpha, dropout, targets, 0);
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
        return new LoraConfig(newRank, newAlpha, dropout, targets, firstLayer, rankStabilized);
    }

    public LoraConfig withDropout(float newDropout) {
        return new LoraConfig(rank, alpha, newDropout, targets, firstLayer, rankStabilized);
    }

    public LoraConfig withTargets(Set<LoraTarget> newTargets) {
        return new LoraConfig(rank, alpha, dropout, newTargets, firstLayer, rankStabilized);
    }

    /** The same adapters on encoder layers {@code layer} and above only. */
    public LoraConfig withFirstLayer(int layer) {
        return new LoraConfig(rank, alpha, dropout, targets, layer, rankStabilized);
    }

    /** The same adapters with rsLoRA's scaling ({@code alpha / sqrt(rank)}) or plain LoRA's. */
    public LoraConfig withRankStabilized(boolean stabilized) {
        return new LoraConfig(rank, alpha, dropout, targets, firstLayer, stabilized);
    }

    /** Whether encoder layer {@code layer} (0 = bottom) gets adapters. */
    public boolean adapts(int layer) {
        return enabled() && layer >= firstLayer;
    }

    public boolean enabled() {
        return rank > 0;
    }

    /** {@code alpha / rank}, or {@code alpha / sqrt(rank)} when {@linkplain #rankStabilized rank-stabilised}. */
    public float scaling() {
        if (rank == 0) {
            return 0f;
        }
        return rankStabilized ? (float) (alpha / Math.sqrt(rank)) : alpha / rank;
    }
}
