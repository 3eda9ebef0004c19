package dev.streamtune.evaluator.catalogue;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A change to a task's policies (the body of {@code PATCH /tasks/{task}}, and the optional part of a new task): a
 * null field keeps what the task has. Labels are not here: they only grow, through {@code POST .../labels}.
 *
 * @param positiveLabel     one of the task's labels; "" clears it (the bias check then uses accuracy only)
 * @param window            when a window closes; a null field keeps that part
 * @param text              the long- and short-text rule; a null field keeps that part
 * @param pii               the kinds of personal data masked (the whole list; [] masks nothing)
 * @param openLabels        add unseen labels automatically; {@code {"enabled": false}} turns it off
 * @param gateOverrides     merged into the task's gate overrides (keys of evaluator.gate); a null value removes one
 * @param trainingOverrides merged into the task's training overrides (keys of trainer.hyperparameters); a null
 *                          value removes one
 */
@Serdeable
@JsonIgnoreProperties(ignoreUnknown = false) // a misspelt field is a 400, not silently ignored
public record TaskPolicies(@Nullable String positiveLabel, @Nullable Window window, @Nullable Text text,
                           @Nullable List<String> pii, @Nullable OpenLabels openLabels,
                           @Nullable Map<String, Double> gateOverrides,
                           @Nullable Map<String, String> trainingOverrides) {

    public static final TaskPolicies NONE = new TaskPolicies(null, null, null, null, null, null, null);

    /** Whether this changes nothing at all. */
    public boolean isEmpty() {
        return equals(NONE);
    }

    /**
     * @param maxCount     a window closes when it holds this many examples; 0: by age only
     * @param maxAgeMillis a window closes when its first example is this old; 0: by count only
     */
    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Window(@Nullable Integer maxCount, @Nullable Long maxAgeMillis) {
    }

    /**
     * @param minChars  shorter cleaned text is dead-lettered
     * @param maxChars  longer cleaned text is truncated or rejected (overflow)
     * @param overflow  TRUNCATE_HEAD, TRUNCATE_HEAD_TAIL or REJECT
     * @param maxTokens tokens the encoder reads; 0: the model's own limit
     */
    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Text(@Nullable Integer minChars, @Nullable Integer maxChars, @Nullable String overflow,
                       @Nullable Integer maxTokens) {
    }

    /**
     * @param enabled     false turns open labels off; otherwise on
     * @param minExamples an unseen label is added once this many of its examples arrived
     * @param maxLabels   no label is added automatically beyond this many
     */
    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record OpenLabels(@Nullable Boolean enabled, @Nullable Integer minExamples, @Nullable Integer maxLabels) {
    }
}
