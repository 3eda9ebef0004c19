package dev.streamtune.evaluator.deadletters;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import io.micronaut.serde.annotation.Serdeable;

/**
 * How many dead letters each task has, by reason code and by the label ingest read from them (what an operator
 * looks at before a replay). Labels are counted up to {@code labelsPerTask} distinct ones per task, the rest under
 * {@link #OTHER_LABELS}, so a stream of random labels cannot grow it without bound.
 */
public final class DeadLetterCounts {

    public static final String OTHER_LABELS = "(other)";
    public static final String NO_LABEL = "(none)";

    /** One task's counts. */
    @Serdeable
    public record TaskCounts(String task, long total, Map<String, Long> byReason, Map<String, Long> byLabel) {
    }

    private final int labelsPerTask;
    private final Map<String, Map<String, Long>> byReason = new HashMap<>();
    private final Map<String, Map<String, Long>> byLabel = new HashMap<>();

    public DeadLetterCounts(int labelsPerTask) {
        this.labelsPerTask = labelsPerTask;
    }

    /** Counts a dead letter of {@code task} (dead letters ingest could not read a task from are not counted). */
    public synchronized void count(String task, String reasonCode, String label) {
        if (task == null) {
            return;
        }
        byReason.computeIfAbsent(task, t -> new TreeMap<>()).merge(reasonCode, 1L, Long::sum);
        Map<String, Long> labels = byLabel.computeIfAbsent(task, t -> new TreeMap<>());
        String key = label == null || label.isBlank() ? NO_LABEL : label.strip();
        if (!labels.containsKey(key) && labels.size() >= labelsPerTask) {
            key = OTHER_LABELS;
        }
        labels.merge(key, 1L, Long::sum);
    }

    public synchronized TaskCounts of(String task) {
        Map<String, Long> reasons = byReason.getOrDefault(task, Map.of());
        return new TaskCounts(task, reasons.values().stream().mapToLong(Long::longValue).sum(),
                new TreeMap<>(reasons), new TreeMap<>(byLabel.getOrDefault(task, Map.of())));
    }
}
