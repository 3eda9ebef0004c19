package dev.streamtune.trainer.training;

import dev.streamtune.model.OptimizerState;

/**
 * Where an interrupted round picks up: the plan's batches already trained and the optimizer state after them.
 *
 * @param batchesDone batches of the plan trained before the restart (0 for a fresh round)
 * @param optimizer   the optimizer's state after those batches (its own method's), or null for a fresh round
 */
public record Resume(int batchesDone, OptimizerState optimizer) {

    /** A round that starts at its first batch with a fresh optimizer. */
    public static final Resume NONE = new Resume(0, null);

    public Resume {
        if (batchesDone < 0) {
            throw new IllegalArgumentException("batchesDone must be at least 0, was " + batchesDone);
        }
    }
}
