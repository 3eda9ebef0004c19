package dev.streamtune.ingest.validate;

import java.util.Map;

/** The fields of a feedback event as decoded from Avro or JSON, before any rule; absent fields are null. */
public record FeedbackFields(
        String requestId,
        String task,
        String modelVersion,
        String text,
        String predictedLabel,
        String correctedLabel,
        Integer rating,
        Long eventTime,
        Map<String, String> attributes) {
}
