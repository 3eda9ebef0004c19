package dev.streamtune.evaluator.sets;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.Split;

/**
 * The examples a candidate is judged on, per task, built from the clean topic:
 * <ul>
 *   <li>each window's test split (quality on what is new);</li>
 *   <li>a retention set: a bounded uniform reservoir over the test splits of earlier windows (forgetting);</li>
 *   <li>a canary set: the first test examples ever seen for the task, frozen, to compare two models' answers.</li>
 * </ul>
 * Validation and train splits are never used here: the trainer tunes on validation, so judging on it would flatter.
 */
public final class EvaluationSets {

    private final int retentionCapacity;
    private final int canaryCapacity;
    private final int maxWindows;
    private final Map<String, TaskSets> tasks = new HashMap<>();

    /** @param maxWindows windows kept per task; the oldest test splits are dropped beyond it to bound memory */
    public EvaluationSets(int retentionCapacity, int canaryCapacity, int maxWindows) {
        this.retentionCapacity = retentionCapacity;
        this.canaryCapacity = canaryCapacity;
        this.maxWindows = maxWindows;
    }

    public void add(CleanExample example) {
        if (example.getSplit() != Split.TEST) {
            return;
        }
        TaskSets sets = tasks.computeIfAbsent(example.getTask(), t -> new TaskSets(t.hashCode()));
        sets.windows.computeIfAbsent(example.getWindowId(), w -> new ArrayList<>()).add(example);
        if (sets.windows.size() > maxWindows) {
            sets.windows.remove(sets.windows.keySet().iterator().next());
        }
        if (sets.canary.size() < canaryCapacity) {
            sets.canary.add(example);
        }
    }

    /** Test examples of the given windows, in arrival order. */
    public List<CleanExample> test(String task, List<String> windowIds) {
        TaskSets sets = tasks.get(task);
        if (sets == null) {
            return List.of();
        }
        List<CleanExample> result = new ArrayList<>();
        windowIds.forEach(id -> result.addAll(sets.windows.getOrDefault(id, List.of())));
        return result;
    }

    public int testCount(String task, String windowId) {
        TaskSets sets = tasks.get(task);
        return sets == null ? 0 : sets.windows.getOrDefault(windowId, List.of()).size();
    }

    /**
     * Test examples from windows other than {@code excludedWindows}, sampled uniformly up to the retention capacity.
     * The sample is drawn with a per-task seed, so the same history gives the same retention set.
     */
    public List<CleanExample> retention(String task, List<String> excludedWindows) {
        TaskSets sets = tasks.get(task);
        if (sets == null) {
            return List.of();
        }
        List<CleanExample> reservoir = new ArrayList<>(retentionCapacity);
        Random random = new Random(sets.seed);
        long seen = 0;
        for (var window : sets.windows.entrySet()) {
            if (excludedWindows.contains(window.getKey())) {
                continue;
            }
            for (CleanExample example : window.getValue()) {
                seen++;
                if (reservoir.size() < retentionCapacity) {
                    reservoir.add(example);
                } else {
                    long slot = (long) (random.nextDouble() * seen);
                    if (slot < retentionCapacity) {
                        reservoir.set((int) slot, example);
                    }
                }
            }
        }
        return reservoir;
    }

    public List<CleanExample> canary(String task) {
        TaskSets sets = tasks.get(task);
        return sets == null ? List.of() : List.copyOf(sets.canary);
    }

    private static final class TaskSets {
        final long seed;
        final Map<String, List<CleanExample>> windows = new LinkedHashMap<>();
        final List<CleanExample> canary = new ArrayList<>();

        TaskSets(long seed) {
            this.seed = seed;
        }
    }
}
