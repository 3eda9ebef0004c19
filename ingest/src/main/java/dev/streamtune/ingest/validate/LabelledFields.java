package dev.streamtune.ingest.validate;

import java.util.Map;

/** The fields of a labelled example as decoded from Avro or JSON, before any rule; absent fields are null. */
public record LabelledFields(
        String id,
        String task,
        String text,
        String label,
        String source,
        Long eventTime,
        Map<String, String> attributes,
        Double weight) {
}
