package dev.streamtune.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Map;


/**
 * The continual-learning methods the stream benchmarks compare, and the only place that says which trainer settings
 * each one means. A streaming method runs the real trainer service with {@link #trainerProperties()} over its
 * application.yml.
 */
enum Method {
    NAIVE("naive", List.of(), false),
    REPLAY("replay", List.of("replay"), false),
    EWC("ewc", List.of("ewc"), false),
    LWF("lwf", List.of("lwf"), false),
    WEIGHT_ALIGNING("weight-aligning", List.of("weight-aligning"), false),
    /** The trainer's default before LwF and weight aligning were measured. */
    REPLAY_EWC("replay+ewc", List.of("replay", "ewc"), false),
    REPLAY_LWF("replay+lwf", List.of("replay", "lwf"), false),
    REPLAY_WEIGHT_ALIGNING("replay+weight-aligning", List.of("replay", "weight-aligning"), false),
    /** The trainer's default combination (its application.yml; MethodTest holds the two together). */
    REPLAY_LWF_WEIGHT_ALIGNING("replay+lwf+weight-aligning", List.of("replay", "lwf", "weight-aligning"), false),
    /** replay+ewc with the task's labels declared as windows bring them (the trainer grows the head). */
    REPLAY_EWC_GROWING("replay+ewc-growing", List.of("replay", "ewc"), true),
    /** Every round on every example seen so far (the trainer's joint strategy): the reference. */
    JOINT("joint", List.of("joint"), false),

    // Fine-tuning techniques, each on the default strategies, compared with the default (LoRA, AdamW) by --techniques.
    RS_LORA("rslora", Technique.of("hyperparameters.peft-method", "rslora")),
    BOTTLENECK_ADAPTER("bottleneck-adapter", Technique.of("hyperparameters.peft-method", "bottleneck-adapter")),
    /** Prefix and prompt tuning move their vectors slowly at LoRA's learning rate: 10x, as their papers use more. */
    PREFIX_TUNING("prefix-tuning", Technique.of("hyperparameters.peft-method", "prefix-tuning",
            "hyperparameters.learning-rate", "5e-3")),
    PROMPT_TUNING("prompt-tuning", Technique.of("hyperparameters.peft-method", "prompt-tuning",
            "hyperparameters.learning-rate", "5e-3")),
    /** The top two layers fully fine-tuned, unfrozen one at a time every 10 steps (ULMFiT), beside LoRA. */
    GRADUAL_UNFREEZING("gradual-unfreezing", Technique.of("hyperparameters.trainable-top-layers", "2",
            "hyperparameters.unfreeze-every-steps", "10")),
    /** SGD needs a far higher rate than AdamW; 5e-2 is what the optimizer tests train with. */
    SGD("sgd-momentum", Technique.of("hyperparameters.optimizer", "sgd", "hyperparameters.learning-rate", "5e-2")),
    /** RMSprop has no bias correction: its first steps are about 10x larger than AdamW's at the same rate. */
    RMSPROP("rmsprop", Technique.of("hyperparameters.optimizer", "rmsprop", "hyperparameters.learning-rate", "2e-4")),
    SEARCH_RANDOM_HALVING("search-random-halving", Technique.of("search.enabled", "true", "search.method",
            "random-halving")),
    SEARCH_TPE("search-tpe", Technique.of("search.enabled", "true", "search.method", "tpe")),
    AUGMENTATION("augmentation", Technique.of("augmentation.enabled", "true"));

    /** What the bench runs when --methods is not given: naive, each strategy alone, the default, joint. */
    static final List<Method> DEFAULTS = List.of(NAIVE, REPLAY, EWC, LWF, WEIGHT_ALIGNING,
            REPLAY_LWF_WEIGHT_ALIGNING, JOINT);

    /** What --techniques runs: the default first (the baseline every row is compared with), then each technique. */
    static final List<Method> TECHNIQUES = List.of(REPLAY_LWF_WEIGHT_ALIGNING, RS_LORA, BOTTLENECK_ADAPTER,
            PREFIX_TUNING, PROMPT_TUNING, GRADUAL_UNFREEZING, SGD, RMSPROP, SEARCH_RANDOM_HALVING, SEARCH_TPE,
            AUGMENTATION);

    private final String id;
    private final List<String> strategies;
    private final boolean labelsOverTime;
    /** Trainer settings beyond the strategies (keys under {@code trainer.}), for the techniques. */
    private final Map<String, String> settings;

    Method(String id, List<String> strategies, boolean labelsOverTime) {
        this.id = id;
        this.strategies = strategies;
        this.labelsOverTime = labelsOverTime;
        this.settings = Map.of();
    }

    /** A fine-tuning technique on the default strategies. */
    Method(String id, Technique technique) {
        this.id = id;
        this.strategies = List.of("replay", "lwf", "weight-aligning");
        this.labelsOverTime = false;
        this.settings = technique.settings();
    }

    /** Trainer settings (keys under {@code trainer.}, as in its application.yml) that make a technique. */
    record Technique(Map<String, String> settings) {
        static Technique of(String... keysAndValues) {
            Map<String, String> settings = new java.util.LinkedHashMap<>();
            for (int i = 0; i < keysAndValues.length; i += 2) {
                settings.put("trainer." + keysAndValues[i], keysAndValues[i + 1]);
            }
            return new Technique(Map.copyOf(settings));
        }
    }

    /** The name on the command line and in the tables. */
    String id() {
        return id;
    }

    /** Declare only the first window's labels and append each window's new ones when it arrives. */
    boolean labelsOverTime() {
        return labelsOverTime;
    }

    /** The trainer properties that select this method, set over the trainer's application.yml. */
    Map<String, Object> trainerProperties() {
        // A comma-separated value binds to the List<String> (an empty one is naive); a Java List would not
        // override the YAML list key by key.
        Map<String, Object> properties = new java.util.LinkedHashMap<>(settings);
        properties.put("trainer.strategies", String.join(",", strategies));
        return Map.copyOf(properties);
    }

    /** The settings that make this method a technique beyond its strategies (empty for the strategy methods). */
    Map<String, String> techniqueSettings() {
        return settings;
    }

    static Method named(String id) {
        return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("unknown method '" + id + "'; methods: "
                        + Arrays.stream(values()).map(Method::id).toList()));
    }
}
