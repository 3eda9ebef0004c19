package dev.streamtune.ingest.validate;

import static dev.streamtune.ingest.ReasonCode.MALFORMED;

import java.util.Set;

import dev.streamtune.contract.AvroCodec;
import dev.streamtune.contract.RecordDecodingException;
import dev.streamtune.ingest.InvalidRecordException;
import dev.streamtune.schema.FeedbackEvent;
import dev.streamtune.schema.LabelledExample;

/**
 * Reads an input record's fields from whichever format it is in: Avro single-object encoding (any schema version
 * the codec knows) or a JSON object whose field names mirror the Avro schema's.
 */
public final class RecordDecoder {

    private static final Set<String> LABELLED_FIELDS =
            Set.of("id", "task", "text", "label", "source", "eventTime", "attributes", "weight");
    private static final Set<String> FEEDBACK_FIELDS = Set.of("requestId", "task", "modelVersion", "text",
            "predictedLabel", "correctedLabel", "rating", "eventTime", "attributes");

    private RecordDecoder() {
    }

    /** @throws InvalidRecordException MALFORMED or INVALID_FIELD */
    public static LabelledFields labelled(byte[] value) {
        return switch (RecordFormat.of(value)) {
            case AVRO -> {
                LabelledExample avro = decode(AvroCodec.of(LabelledExample.class), value);
                yield new LabelledFields(avro.getId(), avro.getTask(), avro.getText(), avro.getLabel(),
                        avro.getSource(), avro.getEventTime() == null ? null : avro.getEventTime().toEpochMilli(),
                        avro.getAttributes(), avro.getWeight());
            }
            case JSON -> {
                JsonFields json = JsonFields.parse(value, LABELLED_FIELDS);
                yield new LabelledFields(json.string("id", true), json.string("task", false),
                        json.string("text", false), json.string("label", true), json.string("source", false),
                        json.epochMillis("eventTime"), json.stringMap("attributes"), json.number("weight"));
            }
            case UNKNOWN -> throw notReadable(value);
        };
    }

    /** @throws InvalidRecordException MALFORMED or INVALID_FIELD */
    public static FeedbackFields feedback(byte[] value) {
        return switch (RecordFormat.of(value)) {
            case AVRO -> {
                FeedbackEvent avro = decode(AvroCodec.of(FeedbackEvent.class), value);
                yield new FeedbackFields(avro.getRequestId(), avro.getTask(), avro.getModelVersion(),
                        avro.getText(), avro.getPredictedLabel(), avro.getCorrectedLabel(), avro.getRating(),
                        avro.getEventTime() == null ? null : avro.getEventTime().toEpochMilli(),
                        avro.getAttributes());
            }
            case JSON -> {
                JsonFields json = JsonFields.parse(value, FEEDBACK_FIELDS);
                yield new FeedbackFields(json.string("requestId", true), json.string("task", false),
                        json.string("modelVersion", true), json.string("text", false),
                        json.string("predictedLabel", true), json.string("correctedLabel", true),
                        json.integer("rating"), json.epochMillis("eventTime"), json.stringMap("attributes"));
            }
            case UNKNOWN -> throw notReadable(value);
        };
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> T decode(AvroCodec<T> codec, byte[] value) {
        try {
            return codec.decode(value);
        } catch (RecordDecodingException e) {
            throw new InvalidRecordException(MALFORMED, e.getMessage());
        }
    }

    private static InvalidRecordException notReadable(byte[] value) {
        return new InvalidRecordException(MALFORMED, value == null || value.length == 0 ? "empty record"
                : "neither Avro single-object encoding (C3 01 ...) nor a JSON object");
    }
}
