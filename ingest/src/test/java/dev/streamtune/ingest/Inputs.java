package dev.streamtune.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamtune.contract.AvroCodec;
import dev.streamtune.schema.FeedbackEvent;
import dev.streamtune.schema.LabelledExample;

/** Input records as producers write them: JSON lines or Avro single-object encoded. */
public final class Inputs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Inputs() {
    }

    /** A JSON labelled example with the given fields (pairs of name, value); nulls are left out. */
    public static byte[] json(Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        try {
            return JSON.writeValueAsBytes(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] labelledJson(String id, String task, String text, String label) {
        return json("id", id, "task", task, "text", text, "label", label, "source", "test");
    }

    public static byte[] labelledAvro(String id, String task, String text, String label, long eventTime) {
        return AvroCodec.of(LabelledExample.class).encode(LabelledExample.newBuilder().setId(id).setTask(task)
                .setText(text).setLabel(label).setSource("test").setEventTime(Instant.ofEpochMilli(eventTime))
                .setAttributes(Map.of("channel", "avro")).setWeight(null).build());
    }

    public static byte[] feedbackAvro(String requestId, String task, String text, String predicted, String corrected,
                                      Integer rating, long eventTime) {
        return AvroCodec.of(FeedbackEvent.class).encode(FeedbackEvent.newBuilder().setRequestId(requestId)
                .setTask(task).setModelVersion("adapter-7").setText(text).setPredictedLabel(predicted)
                .setCorrectedLabel(corrected).setRating(rating).setEventTime(Instant.ofEpochMilli(eventTime))
                .build());
    }

    /** Hex SHA-256 of the UTF-8 bytes, to check content hashes independently of the code under test. */
    public static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
