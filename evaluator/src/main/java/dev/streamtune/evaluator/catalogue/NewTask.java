package dev.streamtune.evaluator.catalogue;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A task to create (the body of {@code POST /tasks}): its name and first labels, and any policy that differs from
 * the built-in defaults ({@link dev.streamtune.contract.TaskCatalogue#newTask}); the policy fields mean what they
 * mean in {@link TaskPolicies}.
 */
@Serdeable
@JsonIgnoreProperties(ignoreUnknown = false) // a misspelt field is a 400, not silently ignored
public record NewTask(@Nullable String task, @Nullable List<String> labels, @Nullable String positiveLabel,
                      @Nullable TaskPolicies.Window window, @Nullable TaskPolicies.Text text,
                      @Nullable List<String> pii, @Nullable TaskPolicies.OpenLabels openLabels,
                      @Nullable Map<String, Double> gateOverrides, @Nullable Map<String, String> trainingOverrides) {

    /** A task with these labels and the default policies. */
    public static NewTask of(String task, List<String> labels) {
        return new NewTask(task, labels, null, null, null, null, null, null, null);
    }

    public TaskPolicies policies() {
        return new TaskPolicies(positiveLabel, window, text, pii, openLabels, gateOverrides, trainingOverrides);
    }
}
