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
    JOINT("joint", List.of("joint"), false);

    /** What the bench runs when --methods is not given: naive, each strategy alone, the default, joint. */
    static final List<Method> DEFAULTS = List.of(NAIVE, REPLAY, EWC, LWF, WEIGHT_ALIGNING,
            REPLAY_LWF_WEIGHT_ALIGNING, JOINT);

    private final String id;
    private final List<String> strategies;
    private final boolean labelsOverTime;

    Method(String id, List<String> strategies, boolean labelsOverTime) {
        this.id = id;
        this.strategies = strategies;
        this.labelsOverTime = labelsOverTime;
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
        return Map.of("trainer.strategies", String.join(",", strategies));
    }

    static Method named(String id) {
        return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("unknown method '" + id + "'; methods: "
                        + Arrays.stream(values()).map(Method::id).toList()));
    }
}
