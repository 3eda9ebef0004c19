package dev.streamtune.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An optimizer's state between steps, as plain arrays: which method ({@link
 * dev.streamtune.model.optimizer.UpdateRule#name()}), how many steps were taken (bias corrections), and each of the
 * method's state slots per trainable parameter (AdamW: {@code m} and {@code v}; SGD: {@code momentum_buffer};
 * RMSprop: {@code square_avg}). Saved in checkpoints so a resumed training continues the same optimisation rather
 * than restarting it.
 *
 * @param method the update rule's name
 * @param steps  updates taken (skipped steps not counted)
 * @param slots  slot name -> parameter name -> values (row-major); every slot names the same parameters
 */
public record OptimizerState(String method, int steps, Map<String, Map<String, float[]>> slots) {

    public OptimizerState {
        if (method == null || method.isBlank() || steps < 0) {
            throw new IllegalArgumentException("invalid optimizer state: method " + method + ", " + steps + " steps");
        }
        Map<String, Map<String, float[]>> copy = new LinkedHashMap<>();
        java.util.Set<String> parameters = null;
        for (Map.Entry<String, Map<String, float[]>> slot : slots.entrySet()) {
            if (parameters == null) {
                parameters = slot.getValue().keySet();
            } else if (!parameters.equals(slot.getValue().keySet())) {
                throw new IllegalArgumentException("inconsistent " + method + " state: slot " + slot.getKey()
                        + " has parameters " + slot.getValue().keySet() + ", another " + parameters);
            }
            copy.put(slot.getKey(), Map.copyOf(slot.getValue()));
        }
        slots = java.util.Collections.unmodifiableMap(copy);
    }

    /** AdamW's state as the previous format held it: the first ({@code m}) and second ({@code v}) moments. */
    public static OptimizerState adamW(int steps, Map<String, float[]> firstMoments,
                                       Map<String, float[]> secondMoments) {
        Map<String, Map<String, float[]>> slots = new LinkedHashMap<>();
        slots.put("m", firstMoments);
        slots.put("v", secondMoments);
        return new OptimizerState(dev.streamtune.model.optimizer.AdamW.NAME, steps, slots);
    }

    /** The slot names, in order. */
    public List<String> slotNames() {
        return List.copyOf(slots.keySet());
    }

    /** The parameters the state is for (those of any slot; empty for a method without state). */
    public java.util.Set<String> parameters() {
        return slots.isEmpty() ? java.util.Set.of() : slots.values().iterator().next().keySet();
    }
}
