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

    /** A positive integer setting, or {@code fallback} when absent. */
    static int positive(Map<String, String> settings, String key, int fallback, String kind) {
        String value = settings.get(key);
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
        throw new IllegalArgumentException(kind + ": " + key + " must be a positive integer, not '" + value + "'");
    }

    /** Settings other than {@code known} are refused: a misspelt key would otherwise be silently ignored. */
    static void onlyKnown(Map<String, String> settings, String kind, String... known) {
        for (String key : settings.keySet()) {
            if (!Set.of(known).contains(key)) {
                throw new IllegalArgumentException(kind + " has no setting '" + key + "'; it has " + Set.of(known));
            }
        }
    }
}
