package dev.streamtune.evaluator.deadletters;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.streamtune.contract.AvroCodec;
import dev.streamtune.contract.RecordDecodingException;
import dev.streamtune.contract.RecordEncodingException;
import dev.streamtune.contract.Topics;
import dev.streamtune.schema.FeedbackEvent;
import dev.streamtune.schema.LabelledExample;
import dev.streamtune.schema.RejectedRecord;

/**
 * The record a dead letter holds, as it goes back to its source topic: the original key and value, with the id
 * ingest gave it made explicit. Ingest names a record without an id (labelled: {@code id}; feedback:
 * {@code requestId}; absent or blank) after where it arrived, {@code topic/partition/offset}; replayed, it would
 * arrive somewhere else and get a new name, so the id is written into the value: JSON gets the field appended at the
 * end of its object (the original bytes are kept; ingest takes the last of repeated fields, so this also overrides a
 * blank or null one), Avro is decoded, given the id and encoded again.
 *
 * @param id    the example's id, the same one ingest gave (or would give) the original
 * @param topic where it goes back to: the topic it was first sent to
 * @param key   the original key (maybe null)
 * @param value the value to produce
 * @param timestamp when ingest dead-lettered it (epoch millis): the replayed record's timestamp
 */
public record OriginalRecord(String id, String topic, byte[] key, byte[] value, long timestamp) {

    private static final JsonFactory JSON = new JsonFactory();

    /** A dead letter that cannot go back, and why (counted in a replay's report). */
    public static final class Unreplayable extends Exception {
        public Unreplayable(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * The record to replay for {@code letter}.
     *
     * @throws Unreplayable when the value is gone or was cut by ingest to fit (it no longer parses), or it came from
     *     a topic that is not an input topic
     */
    public static OriginalRecord of(RejectedRecord letter) throws Unreplayable {
        String topic = letter.getSourceTopic();
        byte[] value = bytes(letter.getOriginalValue());
        if (value == null || value.length == 0) {
            throw new Unreplayable("no original value");
        }
        String assigned = topic + "/" + letter.getSourcePartition() + "/" + letter.getSourceOffset();
        String idField = idField(topic);
        long at = letter.getRejectedAt().toEpochMilli();
        if (AvroCodec.isSingleObjectEncoded(value)) {
            return avro(topic, assigned, bytes(letter.getOriginalKey()), value, at);
        }
        return json(topic, idField, assigned, bytes(letter.getOriginalKey()), value, at);
    }

    /** The example id of a dead letter's original, as ingest names it (empty when the value cannot be read). */
    public static Optional<String> idOf(RejectedRecord letter) {
        try {
            return Optional.of(of(letter).id());
        } catch (Unreplayable e) {
            return Optional.empty();
        }
    }

    private static String idField(String topic) throws Unreplayable {
        if (Topics.LABELLED_EXAMPLES.name().equals(topic)) {
            return "id";
        }
        if (Topics.FEEDBACK_EVENTS.name().equals(topic)) {
            return "requestId";
        }
        throw new Unreplayable("came from " + topic + ", not an input topic");
    }

    private static OriginalRecord avro(String topic, String assigned, byte[] key, byte[] value, long at)
            throws Unreplayable {
        try {
            if (Topics.LABELLED_EXAMPLES.name().equals(topic)) {
                AvroCodec<LabelledExample> codec = AvroCodec.of(LabelledExample.class);
                LabelledExample example = codec.decode(value);
                if (!blank(example.getId())) {
                    return new OriginalRecord(example.getId().strip(), topic, key, value, at);
                }
                example.setId(assigned);
                return new OriginalRecord(assigned, topic, key, codec.encode(example), at);
            }
            AvroCodec<FeedbackEvent> codec = AvroCodec.of(FeedbackEvent.class);
            FeedbackEvent event = codec.decode(value);
            if (!blank(event.getRequestId())) {
                return new OriginalRecord(event.getRequestId().strip(), topic, key, value, at);
            }
            event.setRequestId(assigned);
            return new OriginalRecord(assigned, topic, key, codec.encode(event), at);
        } catch (RecordDecodingException | RecordEncodingException e) {
            throw new Unreplayable("unreadable Avro value (" + e.getMessage() + ")");
        }
    }

    private static OriginalRecord json(String topic, String idField, String assigned, byte[] key, byte[] value,
                                       long at) throws Unreplayable {
        String present = null;
        boolean notString = false;
        try (JsonParser parser = JSON.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new Unreplayable("not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                if (name.equals(idField)) {
                    // the last one counts, as in ingest's reader
                    present = token == JsonToken.VALUE_STRING ? parser.getText() : null;
                    notString = token != JsonToken.VALUE_STRING && token != JsonToken.VALUE_NULL;
                }
                parser.skipChildren();
            }
            if (parser.nextToken() != null) {
                throw new Unreplayable("trailing data after the JSON object");
            }
        } catch (IOException e) {
            throw new Unreplayable("unreadable JSON value (cut to fit, or never valid)");
        }
        if (notString) {
            throw new Unreplayable(idField + " is not a string");
        }
        if (!blank(present)) {
            return new OriginalRecord(present.strip(), topic, key, value, at);
        }
        return new OriginalRecord(assigned, topic, key, withField(value, idField, assigned), at);
    }

    /** The JSON object with {@code "name":"text"} added as its last field; the bytes before it are kept as they are. */
    static byte[] withField(byte[] object, String name, String text) {
        int end = object.length - 1;
        while (end >= 0 && isJsonWhitespace(object[end])) {
            end--;
        }
        // the parse above found exactly one object, so object[end] is its closing brace
        int last = end - 1;
        while (last >= 0 && isJsonWhitespace(object[last])) {
            last--;
        }
        boolean empty = last >= 0 && object[last] == '{';
        String field = (empty ? "" : ",") + "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(name))
                + "\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
        byte[] added = field.getBytes(StandardCharsets.UTF_8);
        byte[] result = Arrays.copyOf(object, end + added.length + 1);
        System.arraycopy(added, 0, result, end, added.length);
        result[result.length - 1] = '}';
        return result;
    }

    private static boolean isJsonWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
