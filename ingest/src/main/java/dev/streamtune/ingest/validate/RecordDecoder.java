package dev.streamtune.ingest.validate;

import static dev.streamtune.contract.ReasonCode.MALFORMED;

import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import dev.streamtune.contract.AvroCodec;
import dev.streamtune.contract.RecordDecodingException;
import dev.streamtune.ingest.InvalidRecordException;
import dev.streamtune.schema.FeedbackEvent;
import dev.streamtune.schema.LabelledExample;

/**
 * Reads an input record's fields from whichever format it is in: Avro single-object encoding (any schema version
 * the codec knows) or a JSON object whose field names mirror the Avro schema's. Either way, sizes are checked while
 * reading ({@link AvroCodec} against the payload, {@link JsonFields} against {@link JsonLimits}), so no record can
 * make it allocate more than the record holds. Thread-safe.
 */
public final class RecordDecoder {

    private static final Set<String> LABELLED_FIELDS =
            Set.of("id", "task", "text", "label", "source", "eventTime", "attributes", "weight");
    private static final Set<String> FEEDBACK_FIELDS = Set.of("requestId", "task", "modelVersion", "text",
            "predictedLabel", "correctedLabel", "rating", "eventTime", "attributes");

    private final JsonFactory json;

    RecordDecoder(JsonLimits limits) {
        this.json = JsonFields.factory(limits);
    }

    /** @throws InvalidRecordException MALFORMED or INVALID_FIELD */
    public LabelledFields labelled(byte[] value) {
        return switch (RecordFormat.of(value)) {
            case AVRO -> {
                LabelledExample avro = decode(AvroCodec.of(LabelledExample.class), value);
                yield new LabelledFields(avro.getId(), avro.getTask(), avro.getText(), avro.getLabel(),
                        avro.getSource(), avro.getEventTime() == null ? null : avro.getEventTime().toEpochMilli(),
                        avro.getAttributes(), avro.getWeight());
            }
            case JSON -> {
                JsonFields fields = JsonFields.parse(json, value, LABELLED_FIELDS);
                yield new LabelledFields(fields.string("id"), fields.string("task"), fields.string("text"),
                        fields.string("label"), fields.string("source"), fields.epochMillis("eventTime"),
                        fields.stringMap("attributes"), fields.number("weight"));
            }
            case UNKNOWN -> throw notReadable(value);
        };
    }

    /** @throws InvalidRecordException MALFORMED or INVALID_FIELD */
    public FeedbackFields feedback(byte[] value) {
        return switch (RecordFormat.of(value)) {
            case AVRO -> {
                FeedbackEvent avro = decode(AvroCodec.of(FeedbackEvent.class), value);
                yield new FeedbackFields(avro.getRequestId(), avro.getTask(), avro.getModelVersion(),
                        avro.getText(), avro.getPredictedLabel(), avro.getCorrectedLabel(), avro.getRating(),
                        avro.getEventTime() == null ? null : avro.getEventTime().toEpochMilli(),
                        avro.getAttributes());
            }
            case JSON -> {
                JsonFields fields = JsonFields.parse(json, value, FEEDBACK_FIELDS);
                yield new FeedbackFields(fields.string("requestId"), fields.string("task"),
                        fields.string("modelVersion"), fields.string("text"), fields.string("predictedLabel"),
                        fields.string("correctedLabel"), fields.integer("rating"), fields.epochMillis("eventTime"),
                        fields.stringMap("attributes"));
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
