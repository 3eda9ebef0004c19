package dev.streamtune.model.nn;

/** The projections of a BERT layer that a LoRA adapter can wrap, with their HuggingFace module paths. */
public enum LoraTarget {
    QUERY("attention.self.query"),
    KEY("attention.self.key"),
    VALUE("attention.self.value"),
    ATTENTION_OUTPUT("attention.output.dense"),
    INTERMEDIATE("intermediate.dense"),
    OUTPUT("output.dense");

    private final String modulePath;

    LoraTarget(String modulePath) {
        this.modulePath = modulePath;
    }

    /**
     * The target a configuration names: {@code query}, {@code key}, {@code value}, {@code attention-output},
     * {@code intermediate}, {@code output} (any case, {@code _} or {@code -}).
     *
     * @throws IllegalArgumentException naming the targets there are
     */
    public static LoraTarget named(String name) {
        String key = name.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        for (LoraTarget t : values()) {
            if (t.name().equals(key)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no LoRA target '" + name + "'; there are query, key, value, "
                + "attention-output, intermediate, output");
    }

    /** Path inside {@code encoder.layer.N}, e.g. {@code attention.self.query}. */
    public String modulePath() {
        return modulePath;
    }
}
