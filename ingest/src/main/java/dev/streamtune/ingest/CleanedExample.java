package dev.streamtune.ingest;

import java.util.Map;

import dev.streamtune.schema.ExampleOrigin;
import dev.streamtune.schema.Split;

/**
 * An example after cleaning: normalised and masked text and its content hash. This is what crosses the
 * by-task repartition topic ({@link CleanedExampleSerde}); the split step fills {@code split}, which is null before.
 *
 * @param contentHash hex SHA-256 of {@code task + "\u0000" + text}
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
        Split split) {

    public CleanedExample withSplit(Split assigned) {
        return new CleanedExample(id, task, text, label, source, origin, eventTime, attributes, weight, contentHash,
                assigned);
    }
}
