package dev.streamtune.ingest.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the topology needs to know, resolved and validated: the rules of every configured task, what to do with
 * tasks nobody configured, and the few pipeline-wide settings. Plain data, built by {@link IngestSettingsFactory}
 * from {@code application.yml} or directly by tests.
 *
 * @param defaults        rules for tasks that are not configured (any label accepted), when they are accepted
 * @param acceptUnknownTasks whether a task nobody configured is accepted under {@code defaults} or rejected
 * @param windowCheckInterval how often (wall clock) open windows are checked for their age
 * @param dedupePurgeInterval how often (stream time) expired content hashes are removed from the dedupe store
 * @param deadLetterMaxBytes longest original value kept in a dead letter; longer ones are truncated so the dead
 *                           letter itself stays under the broker's message size limit
 */
public record IngestSettings(
        Map<String, TaskRules> tasks,
        TaskRules defaults,
        boolean acceptUnknownTasks,
        Duration windowCheckInterval,
        Duration dedupePurgeInterval,
        int deadLetterMaxBytes) {

    public static final Duration DEFAULT_WINDOW_CHECK_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_DEDUPE_PURGE_INTERVAL = Duration.ofMinutes(10);
    public static final int DEFAULT_DEAD_LETTER_MAX_BYTES = 900_000;

    public IngestSettings {
        tasks = Map.copyOf(tasks);
        defaults = defaults.withLabels(List.of());
        tasks.forEach((name, rules) -> {
            if (!name.equals(rules.task())) {
                throw new IllegalArgumentException("Task " + name + " carries rules for " + rules.task());
            }
        });
        if (windowCheckInterval.isZero() || windowCheckInterval.isNegative()
                || dedupePurgeInterval.isZero() || dedupePurgeInterval.isNegative()) {
            throw new IllegalArgumentException("window-check-interval and dedupe-purge-interval must be positive");
        }
        if (deadLetterMaxBytes < 1024) {
            throw new IllegalArgumentException("dead-letter-max-bytes must be at least 1024");
        }
    }

    /** Settings with the given tasks, unknown tasks rejected, default intervals. */
    public static IngestSettings of(TaskRules... tasks) {
        Map<String, TaskRules> byName = new LinkedHashMap<>();
        Arrays.stream(tasks).forEach(t -> byName.put(t.task(), t));
        return new IngestSettings(byName, TaskRules.defaults("*", List.of()), false, DEFAULT_WINDOW_CHECK_INTERVAL,
                DEFAULT_DEDUPE_PURGE_INTERVAL, DEFAULT_DEAD_LETTER_MAX_BYTES);
    }

    /** Accepts tasks nobody configured, under {@code template}'s rules with any label. */
    public IngestSettings acceptingUnknownTasks(TaskRules template) {
        return new IngestSettings(tasks, template, true, windowCheckInterval, dedupePurgeInterval,
                deadLetterMaxBytes);
    }

    public IngestSettings withWindowCheckInterval(Duration interval) {
        return new IngestSettings(tasks, defaults, acceptUnknownTasks, interval, dedupePurgeInterval,
                deadLetterMaxBytes);
    }

    public IngestSettings withDedupePurgeInterval(Duration interval) {
        return new IngestSettings(tasks, defaults, acceptUnknownTasks, windowCheckInterval, interval,
                deadLetterMaxBytes);
    }

    public IngestSettings withDeadLetterMaxBytes(int maxBytes) {
        return new IngestSettings(tasks, defaults, acceptUnknownTasks, windowCheckInterval, dedupePurgeInterval,
                maxBytes);
    }

    /** The task's rules; empty when the task is not configured and unknown tasks are rejected. */
    public Optional<TaskRules> rulesFor(String task) {
        TaskRules rules = tasks.get(task);
        if (rules != null || !acceptUnknownTasks) {
            return Optional.ofNullable(rules);
        }
        return Optional.of(defaults.withTask(task)); // rare path: a small allocation is fine
    }

    /**
     * The task's rules, or the defaults when it is not configured. Steps after validation use this: a record
     * already admitted keeps flowing even if its task was removed from the configuration since.
     */
    public TaskRules rulesOrDefaults(String task) {
        TaskRules rules = tasks.get(task);
        return rules != null ? rules : defaults.withTask(task);
    }

    /** The longest dedupe horizon of any task that can be admitted: older entries are of no use to anyone. */
    public Duration longestDedupeHorizon() {
        Duration longest = acceptUnknownTasks ? defaults.dedupeHorizon() : Duration.ZERO;
        for (TaskRules rules : tasks.values()) {
            if (rules.dedupeHorizon().compareTo(longest) > 0) {
                longest = rules.dedupeHorizon();
            }
        }
        return longest;
    }
}
