package dev.streamtune.model.weights;

import java.util.Map;

/**
 * The contents of a safetensors file: its floating-point tensors widened to fp32, and its string metadata.
 *
 * @param tensors tensors by name, in file order; integer tensors (e.g. {@code position_ids}) are left out
 * @param metadata the {@code __metadata__} map, empty if absent
 */
public record SafetensorsFile(Map<String, Tensor> tensors, Map<String, String> metadata) {

    public SafetensorsFile {
        tensors = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tensors));
        metadata = Map.copyOf(metadata);
    }
}
