package dev.streamtune.model.peft;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The PEFT methods this build knows, by {@link PeftMethod#kind()}: where configuration and adapter files find them. */
public final class PeftMethods {

    private static final Map<String, Function<Map<String, String>, PeftMethod>> BY_KIND = new LinkedHashMap<>();

    static {
        BY_KIND.put(BottleneckAdapters.KIND, BottleneckAdapters::fromSettings);
        BY_KIND.put(PrefixTuning.KIND, PrefixTuning::fromSettings);
        BY_KIND.put(PromptTuning.KIND, PromptTuning::fromSettings);
    }

    private PeftMethods() {}

    /**
     * The method {@code kind} with {@code settings} (absent ones take the method's defaults).
     *
     * @throws IllegalArgumentException for a kind this build does not know, naming those it does, or a bad setting
     */
    public static PeftMethod of(String kind, Map<String, String> settings) {
        Function<Map<String, String>, PeftMethod> factory = BY_KIND.get(kind);
        if (factory == null) {
            throw new IllegalArgumentException("unknown PEFT method '" + kind + "'; this build knows " + kinds()
                    + " (and LoRA)");
        }
        return factory.apply(settings);
    }

    /** The kinds there are, in a fixed order. */
    public static Set<String> kinds() {
        return java.util.Collections.unmodifiableSet(BY_KIND.keySet());
    }

    /** The setting every method here has: its one size (a width or a number of virtual tokens). */
    static final String SIZE = "size";

    /**
     * The {@link #SIZE} of a method that has no other setting, or {@code fallback} when absent.
     *
     * @throws IllegalArgumentException for another setting (a misspelt key would otherwise be silently ignored) or
     *     a size that is not a positive integer
     */
    static int size(Map<String, String> settings, String kind, int fallback) {
        for (String key : settings.keySet()) {
            if (!key.equals(SIZE)) {
                throw new IllegalArgumentException(kind + " has no setting '" + key + "'; it has " + SIZE);
            }
        }
        String value = settings.get(SIZE);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(kind + ": " + SIZE + " must be a positive integer, not '" + value + "'");
    }

    /** {@code {size: n}}, as a method with only a size writes its settings. */
    static Map<String, String> sizeSettings(int size) {
        return Map.of(SIZE, Integer.toString(size));
    }

    /** A size a method was constructed with, checked. */
    static int requirePositive(int size, String kind) {
        if (size <= 0) {
            throw new IllegalArgumentException(kind + ": " + SIZE + " must be positive: " + size);
        }
        return size;
    }
}
