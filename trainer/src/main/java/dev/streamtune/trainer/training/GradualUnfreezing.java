package dev.streamtune.trainer.training;

import java.util.ArrayList;
import java.util.List;

/**
 * ULMFiT's gradual unfreezing of the trainable top layers as a pure schedule: a round starts with the LoRA weights
 * and the head only; the top layer copy is unfrozen after {@code everySteps} optimizer steps, the next one down
 * after twice that, and so on until all {@code topLayers} train. A function of the steps done, so a resumed round
 * (which knows the step it resumes at) follows the uninterrupted schedule.
 *
 * @param numLayers  encoder layers of the model
 * @param topLayers  how many top layers the classifier trains as full copies
 * @param everySteps optimizer steps between unfreezings; 0 = off (every copy trains from the start)
 */
public record GradualUnfreezing(int numLayers, int topLayers, int everySteps) {

    public GradualUnfreezing {
        if (numLayers < 1 || topLayers < 0 || topLayers > numLayers || everySteps < 0) {
            throw new IllegalArgumentException("invalid gradual unfreezing: " + topLayers + " of " + numLayers
                    + " layers, every " + everySteps + " steps");
        }
    }

    /** Whether anything is ever held frozen. */
    public boolean active() {
        return everySteps > 0 && topLayers > 0;
    }

    /** The step after which {@code layer} (one of the top layers) trains: layer L-1 at K, L-2 at 2K, ... */
    public int unfreezeStep(int layer) {
        int fromTop = numLayers - 1 - layer;
        if (fromTop < 0 || fromTop >= topLayers) {
            throw new IllegalArgumentException("layer " + layer + " is not one of the top " + topLayers);
        }
        return active() ? (fromTop + 1) * everySteps : 0;
    }

    /** The top layers still frozen once {@code stepsDone} optimizer steps are done, from the top down. */
    public List<Integer> frozenLayers(int stepsDone) {
        List<Integer> frozen = new ArrayList<>();
        for (int layer = numLayers - 1; layer >= numLayers - topLayers; layer--) {
            if (unfreezeStep(layer) > stepsDone) {
                frozen.add(layer);
            }
        }
        return frozen;
    }

    /**
     * What the schedule did in a run that ended after {@code stepsDone} steps, for the adapter's lineage, e.g.
     * {@code top 2 layers, one every 20 steps; unfrozen at steps [20, 40]}; empty when off.
     */
    public String describe(int stepsDone) {
        if (!active()) {
            return "";
        }
        List<Integer> unfrozenAt = new ArrayList<>();
        for (int layer = numLayers - 1; layer >= numLayers - topLayers; layer--) {
            if (unfreezeStep(layer) <= stepsDone) {
                unfrozenAt.add(unfreezeStep(layer));
            }
        }
        return "top " + topLayers + " layer" + (topLayers == 1 ? "" : "s") + ", one every " + everySteps
                + " steps; unfrozen at steps " + unfrozenAt;
    }
}
