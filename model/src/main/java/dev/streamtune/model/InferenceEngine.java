package dev.streamtune.model;

import dev.streamtune.model.onnx.ClassifierGraph;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a trained classifier is run to answer predictions. */
public enum InferenceEngine {
    /** The classifier itself on DJL's PyTorch engine, LoRA applied at run time (what training runs). */
    PYTORCH,
    /** ONNX Runtime, LoRA merged into the projections, fp32: the PyTorch path's answers to 1e-4. */
    ONNX_FP32,
    /** ONNX Runtime, LoRA merged, the encoder's projections int8 (dynamic quantisation): faster, not exact. */
    ONNX_INT8;

    /**
     * The configuration key naming the engine ({@code STREAMTUNE_ENGINE}), read by serving, which runs it, and by the
     * evaluator, which scores candidates on it so that the gate judges what users will get.
     */
    public static final String CONFIG_KEY = "streamtune.engine";
    /** The default: ONNX Runtime fp32, measured faster than PyTorch in bench/run.sh serving and exact to 1e-4. */
    public static final String DEFAULT_NAME = "onnx-fp32";
    /** {@code ${streamtune.engine:onnx-fp32}}, for {@code @Value}. */
    public static final String PLACEHOLDER = "${" + CONFIG_KEY + ":" + DEFAULT_NAME + "}";

    /** Whether it gives the PyTorch path's answers (to 1e-4): what training and calibration measured. */
    public boolean exact() {
        return this != ONNX_INT8;
    }

    /** The name configuration uses: {@code pytorch}, {@code onnx-fp32}, {@code onnx-int8}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The engine a configuration names (any case, {@code -} or {@code _}).
     *
     * @throws IllegalArgumentException naming the engines there are
     */
    public static InferenceEngine named(String name) {
        String key = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (InferenceEngine e : values()) {
            if (e.name().equals(key)) {
                return e;
            }
        }
        throw new IllegalArgumentException("no inference engine '" + name + "'; there are "
                + Arrays.stream(values()).map(InferenceEngine::configName).collect(Collectors.joining(", ")));
    }

    /** The graph precision of an ONNX engine. */
    public ClassifierGraph.Precision precision() {
        return switch (this) {
            case ONNX_FP32 -> ClassifierGraph.Precision.FP32;
            case ONNX_INT8 -> ClassifierGraph.Precision.INT8;
            case PYTORCH -> throw new IllegalStateException("the PyTorch engine runs no ONNX graph");
        };
    }
}
