package dev.streamtune.trainer.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.streamtune.model.ClassifierConfig;
import dev.streamtune.model.LoraConfig;
import dev.streamtune.model.peft.PeftMethod;
import dev.streamtune.model.peft.PeftMethods;

/**
 * What {@code trainer.hyperparameters.peft-method} and {@code peft-size} make of a new task's classifier: LoRA as the
 * {@code lora-*} keys say (plain or rank-stabilised), or one of the model's {@link PeftMethods} instead of LoRA. An
 * approved adapter keeps the method it was trained with: these keys shape a task's first adapter only.
 */
public final class PeftChoice {

    /** LoRA with {@code alpha / rank} scaling: the default. */
    public static final String LORA = "lora";
    /** LoRA with {@code alpha / sqrt(rank)} scaling (rsLoRA). */
    public static final String RS_LORA = "rslora";

    private PeftChoice() {
    }

    /** Every name {@code peft-method} accepts. */
    public static List<String> names() {
        List<String> names = new ArrayList<>(List.of(LORA, RS_LORA));
        names.addAll(PeftMethods.kinds());
        return names;
    }

    /**
     * @throws IllegalArgumentException naming the methods there are, or for a negative size
     */
    public static void validate(String method, int size) {
        if (!names().contains(method)) {
            throw new IllegalArgumentException("no PEFT method '" + method + "'; there are " + names());
        }
        if (size < 0) {
            throw new IllegalArgumentException("peft-size must be >= 0 (0: the method's default): " + size);
        }
        if (!method.equals(LORA) && !method.equals(RS_LORA)) {
            method(method, size);
        }
    }

    /**
     * {@code config} with {@code lora} and the method applied.
     *
     * @param size the bottleneck width or the number of virtual tokens; 0 for the method's default (unused by LoRA,
     *             whose rank is {@code lora-rank})
     */
    public static ClassifierConfig apply(ClassifierConfig config, LoraConfig lora, String method, int size) {
        return switch (method) {
            case LORA -> config.withLora(lora);
            case RS_LORA -> config.withLora(lora.withRankStabilized(true));
            default -> config.withLora(LoraConfig.none()).withPeft(method(method, size));
        };
    }

    private static PeftMethod method(String kind, int size) {
        return PeftMethods.of(kind, size > 0 ? Map.of("size", Integer.toString(size)) : Map.of());
    }
}
