package dev.streamtune.evaluator.catalogue;

import java.util.List;
import java.util.Map;

import dev.streamtune.schema.TaskDefinition;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** A task definition as the API shows it (the fields of the Avro record, without its signature bytes). */
@Serdeable
public record TaskView(String task, long version, List<String> labels, @Nullable String positiveLabel, String state,
                       TaskPolicies.Window window, TaskPolicies.Text text, List<String> pii,
                       @Nullable TaskPolicies.OpenLabels openLabels, Map<String, Double> gateOverrides,
                       Map<String, String> trainingOverrides, String changedBy, String changedAt, String change,
                       @Nullable String signingKeyId) {

    public static TaskView of(TaskDefinition d) {
        return new TaskView(d.getTask(), d.getVersion(), d.getLabels(), d.getPositiveLabel(), d.getState().name(),
                new TaskPolicies.Window(d.getWindow().getMaxCount(), d.getWindow().getMaxAgeMillis()),
                new TaskPolicies.Text(d.getText().getMinChars(), d.getText().getMaxChars(),
                        d.getText().getOverflow().name(), d.getText().getMaxTokens()),
                d.getPii(),
                d.getOpenLabels() == null ? null : new TaskPolicies.OpenLabels(true,
                        d.getOpenLabels().getMinExamples(), d.getOpenLabels().getMaxLabels()),
                d.getGateOverrides(), d.getTrainingOverrides(), d.getChangedBy(), d.getChangedAt().toString(),
                d.getChange(), d.getSigningKeyId());
    }
}
