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

    /**
     * The probe's poison record: a genuine single-object header of the topic's type, then a first string field that
     * declares 2,000,000,000 bytes, then 3 bytes. 18 bytes in all; a trusting decoder allocates 2 GB for it.
     */
    public static byte[] avroDeclaringTwoBillionByteString(boolean feedback) {
        byte[] valid = feedback ? feedbackAvro("r", "t", "x", "p", null, 5, 0)
                : labelledAvro("i", "t", "x", "l", 0);
        byte[] poison = java.util.Arrays.copyOf(valid, 18);
        long zigZag = 2_000_000_000L << 1;
        int at = 10;
        while ((zigZag & ~0x7FL) != 0) {
            poison[at++] = (byte) ((zigZag & 0x7F) | 0x80);
            zigZag >>>= 7;
        }
        poison[at++] = (byte) zigZag;
        poison[at++] = 'x';
        poison[at++] = 'y';
        poison[at] = 'z';
        return poison;
    }

    /** A valid Avro labelled example followed by bytes that belong to no record. */
    public static byte[] avroWithTrailingGarbage(String id, String task, String text, long eventTime) {
        byte[] valid = labelledAvro(id, task, text, "positive", eventTime);
        byte[] out = java.util.Arrays.copyOf(valid, valid.length + 4);
        System.arraycopy(new byte[] {0, 'j', 'u', 'n'}, 0, out, valid.length, 4);
        return out;
    }

    /** Bytes as given, for JSON with deliberately malformed UTF-8 inside. */
    public static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
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
