package dev.streamtune.ingest.validate;

import dev.streamtune.ingest.config.IngestSettings;

/**
 * How long a JSON string may be before the parser stops reading it: {@code max-text-chars}, the longest raw text
 * ingest reads at all whatever a task's policy says, and never less than the short fields' limit. Fixed at start
 * (the task catalogue changes while the parser is in use); a longer text is refused while parsing, so it is never
 * materialised.
 */
record JsonLimits(int maxStringChars) {

    static JsonLimits of(IngestSettings settings) {
        return new JsonLimits(Math.max(settings.maxTextChars(), ExampleValidator.MAX_FIELD_LENGTH));
    }
}
