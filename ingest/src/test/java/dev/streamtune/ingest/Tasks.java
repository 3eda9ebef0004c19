package dev.streamtune.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.ingest.config.IngestSettings;
import dev.streamtune.ingest.config.TaskRules;
import dev.streamtune.schema.OpenLabelPolicy;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.schema.TaskState;
import dev.streamtune.schema.TextOverflow;
import dev.streamtune.schema.TextPolicy;
import dev.streamtune.schema.WindowPolicy;

/** Task definitions for tests, as the evaluator's catalogue writer makes them (version 1, built-in policies). */
public final class Tasks {

    private Tasks() {
    }

    /** Version 1 of a task with the built-in policies. */
    public static TaskDefinition task(String name, String... labels) {
        return TaskCatalogue.newTask(name, List.of(labels), "test", Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** The next version of {@code current} with {@code labels} appended. */
    public static TaskDefinition withLabelsAdded(TaskDefinition current, String... labels) {
        List<String> all = new java.util.ArrayList<>(current.getLabels());
        all.addAll(List.of(labels));
        return TaskCatalogue.nextVersion(current, "test", Instant.parse("2026-01-02T00:00:00Z"),
                "added labels " + List.of(labels)).setLabels(all).build();
    }

    /** The next version of {@code current} in {@code state}. */
    public static TaskDefinition inState(TaskDefinition current, TaskState state) {
        return TaskCatalogue.nextVersion(current, "test", Instant.parse("2026-01-02T00:00:00Z"), "now " + state)
                .setState(state).build();
    }

    public static TaskDefinition withWindow(TaskDefinition definition, int maxCount, Duration maxAge) {
        return TaskDefinition.newBuilder(definition).setWindow(new WindowPolicy(maxCount, maxAge.toMillis())).build();
    }

    public static TaskDefinition withText(TaskDefinition definition, int minChars, int maxChars,
                                          TextOverflow overflow) {
        return TaskDefinition.newBuilder(definition).setText(new TextPolicy(minChars, maxChars, overflow, 0)).build();
    }

    public static TaskDefinition withPii(TaskDefinition definition, String... kinds) {
        return TaskDefinition.newBuilder(definition).setPii(List.of(kinds)).build();
    }

    public static TaskDefinition withOpenLabels(TaskDefinition definition, int minExamples, int maxLabels) {
        return TaskDefinition.newBuilder(definition).setOpenLabels(new OpenLabelPolicy(minExamples, maxLabels))
                .build();
    }

    /** The rules of {@code definition} under the built-in shared defaults. */
    public static TaskRules rules(TaskDefinition definition) {
        return TaskRules.of(definition, IngestSettings.Defaults.builtIn());
    }
}
