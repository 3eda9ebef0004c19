package dev.streamtune.evaluator.catalogue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;

/**
 * One task under {@code evaluator.tasks.<name>} in {@code application.yml}: provisioned into the catalogue at first
 * start when the tasks topic does not have it, never written over a definition the topic has (change a live task
 * through the API or {@code ./streamtune tasks}). A null field keeps the built-in default.
 */
@EachProperty("evaluator.tasks")
public record ConfiguredTask(
        @Parameter String name,
        List<String> labels,
        @Nullable String positiveLabel,
        @Nullable Integer windowMaxCount,
        @Nullable Duration windowMaxAge,
        @Nullable Integer minChars,
        @Nullable Integer maxChars,
        @Nullable String textOverflow,
        @Nullable Integer maxTokens,
        @Nullable List<String> pii,
        @Nullable Map<String, Double> gateOverrides,
        @Nullable Map<String, String> trainingOverrides) {

    /** The same task as the API would receive it. */
    public NewTask toNewTask() {
        boolean window = windowMaxCount != null || windowMaxAge != null;
        boolean text = minChars != null || maxChars != null || textOverflow != null || maxTokens != null;
        return new NewTask(name, labels, positiveLabel,
                window ? new TaskPolicies.Window(windowMaxCount, windowMaxAge == null ? null
                        : windowMaxAge.toMillis()) : null,
                text ? new TaskPolicies.Text(minChars, maxChars, textOverflow, maxTokens) : null,
                pii, null, gateOverrides, trainingOverrides);
    }
}
