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

    /** Path inside {@code encoder.layer.N}, e.g. {@code attention.self.query}. */
    public String modulePath() {
        return modulePath;
    }
}
