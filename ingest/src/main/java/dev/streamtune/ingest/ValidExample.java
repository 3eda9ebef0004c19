package dev.streamtune.ingest;

import java.util.Map;

import dev.streamtune.schema.ExampleOrigin;

/**
 * A labelled example or a useful feedback event that passed validation: required fields present, task known, label
 * canonical, event time sane, defaults applied. The text is still raw; {@code source} record kept for dead letters.
 *
 * @param source where the example came from (producer-given, or {@code feedback:<modelVersion>})
 * @param record the input record, for a dead letter should cleaning reject the text
 */
public record ValidExample(
        String id,
        String task,
        String text,
        String label,
        String source,
        ExampleOrigin origin,
        long eventTime,
        Map<String, String> attributes,
        double weight,
        SourceRecord record) {
}
