package dev.streamtune.ingest;

import java.util.Map;

import dev.streamtune.schema.ExampleOrigin;
import dev.streamtune.schema.Split;

/**
 * An example after cleaning: normalised and masked text and its content hash. This is what crosses the
 * by-task repartition topic ({@link CleanedExampleSerde}); the split step fills {@code split}, which is null before.
 *
 * @param contentHash hex SHA-256 of {@code task + "\u0000" + } the whole cleaned text (before any truncation)
 * @param truncated   whether {@code text} was cut to the task's text policy
 */
public record CleanedExample(
        String id,
        String task,
        String text,
        String label,
        String source,
        ExampleOrigin origin,
        long eventTime,
        Map<String, String> attributes,
        double weight,
        String contentHash,
        boolean truncated,
        Split split) {

    public CleanedExample withSplit(Split assigned) {
        return new CleanedExample(id, task, text, label, source, origin, eventTime, attributes, weight, contentHash,
                truncated, assigned);
    }
}
