package dev.streamtune.ingest.validate;

import dev.streamtune.ingest.config.IngestSettings;
import dev.streamtune.ingest.config.TaskRules;

/**
 * How long a JSON string may be before the parser stops reading it: the longest raw text any admitted task could
 * accept ({@link ExampleValidator#RAW_LENGTH_FACTOR} x its max-chars), and never less than the short fields' limit.
 * Anything longer would be refused after parsing anyway; refusing it while parsing means it is never materialised.
 */
record JsonLimits(int maxStringChars) {

    static JsonLimits of(IngestSettings settings) {
        long longest = (long) ExampleValidator.RAW_LENGTH_FACTOR * settings.defaults().maxChars();
        for (TaskRules rules : settings.tasks().values()) {
            longest = Math.max(longest, (long) ExampleValidator.RAW_LENGTH_FACTOR * rules.maxChars());
        }
        return new JsonLimits((int) Math.min(Integer.MAX_VALUE, Math.max(longest, ExampleValidator.MAX_FIELD_LENGTH)));
    }
}
