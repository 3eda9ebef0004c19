package dev.streamtune.trainer.training;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * Wall time of a round's stages, in the order they first ran: where a window's time to serving goes (training steps,
 * validation passes, checkpoints, each strategy's work before and after training, calibration, writing the
 * adapter). For the round's log line and the candidate's metrics ({@code time.<stage>.seconds}).
 */
public final class StageTimes {

    private static final String METRIC_PREFIX = "time.";
    private static final String METRIC_SUFFIX = ".seconds";

    private final Map<String, Long> nanos = new LinkedHashMap<>();

    /** Runs {@code work} and adds its wall time to {@code stage}. */
    public void time(String stage, Runnable work) {
        long started = System.nanoTime();
        try {
            work.run();
        } finally {
            add(stage, System.nanoTime() - started);
        }
    }

    /** Runs {@code work}, adds its wall time to {@code stage} and returns its result. */
    public <T> T timed(String stage, Supplier<T> work) {
        long started = System.nanoTime();
        try {
            return work.get();
        } finally {
            add(stage, System.nanoTime() - started);
        }
    }

    /** Adds {@code elapsedNanos} to {@code stage} (a stage may run several times: validation every N steps). */
    public void add(String stage, long elapsedNanos) {
        nanos.merge(stage, Math.max(0, elapsedNanos), Long::sum);
    }

    /** Adds every stage of {@code other} to this one's. */
    public void addAll(StageTimes other) {
        other.nanos.forEach(this::add);
    }

    public double seconds(String stage) {
        return nanos.getOrDefault(stage, 0L) / 1e9;
    }

    public double totalSeconds() {
        return nanos.values().stream().mapToLong(Long::longValue).sum() / 1e9;
    }

    /** {@code time.<stage>.seconds} for each stage, in order. */
    public Map<String, Double> metrics() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        nanos.keySet().forEach(stage -> metrics.put(METRIC_PREFIX + stage + METRIC_SUFFIX, seconds(stage)));
        return metrics;
    }

    /**
     * The stage times among a candidate's metrics, as {@link #metrics()} wrote them, by stage name
     * ({@code time.steps.seconds} -> {@code steps}); other metrics are left out.
     */
    public static Map<String, Double> secondsByStage(Map<String, Double> candidateMetrics) {
        Map<String, Double> stages = new LinkedHashMap<>();
        candidateMetrics.forEach((key, value) -> {
            if (key.startsWith(METRIC_PREFIX) && key.endsWith(METRIC_SUFFIX)
                    && key.length() > METRIC_PREFIX.length() + METRIC_SUFFIX.length()) {
                stages.put(key.substring(METRIC_PREFIX.length(), key.length() - METRIC_SUFFIX.length()), value);
            }
        });
        return stages;
    }

    /** {@code 52.3 s: steps 40.1, validation 5.0, ...} (seconds, in the order the stages ran). */
    public String summary() {
        StringJoiner stages = new StringJoiner(", ");
        nanos.keySet().forEach(stage -> stages.add(String.format(Locale.ROOT, "%s %.2f", stage, seconds(stage))));
        return String.format(Locale.ROOT, "%.1f s: %s", totalSeconds(), stages);
    }
}
