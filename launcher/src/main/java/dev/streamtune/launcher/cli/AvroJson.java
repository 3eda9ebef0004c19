package dev.streamtune.launcher.cli;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

/**
 * An Avro record as plain JSON, the way a person reads it: a union shows its value (not Avro's {"string": ...}
 * wrapper), timestamps are ISO-8601, enums their symbol, bytes Base64, a NaN or infinity its name as a string.
 */
public final class AvroJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AvroJson() {
    }

    public static JsonNode of(IndexedRecord record) {
        return value(record.getSchema(), record);
    }

    private static JsonNode value(Schema schema, Object datum) {
        if (datum == null) {
            return NODES.nullNode();
        }
        switch (schema.getType()) {
            case UNION:
                return value(schema.getTypes().get(GenericData.get().resolveUnion(schema, datum)), datum);
            case RECORD: {
                IndexedRecord record = (IndexedRecord) datum;
                ObjectNode node = NODES.objectNode();
                for (Schema.Field field : record.getSchema().getFields()) {
                    node.set(field.name(), value(field.schema(), record.get(field.pos())));
                }
                return node;
            }
            case ARRAY: {
                ArrayNode node = NODES.arrayNode();
                for (Object item : (Collection<?>) datum) {
                    node.add(value(schema.getElementType(), item));
                }
                return node;
            }
            case MAP: {
                ObjectNode node = NODES.objectNode();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) datum).entrySet()) {
                    node.set(String.valueOf(entry.getKey()), value(schema.getValueType(), entry.getValue()));
                }
                return node;
            }
            case ENUM:
                return NODES.textNode(datum instanceof GenericEnumSymbol<?> symbol ? symbol.toString()
                        : ((Enum<?>) datum).name());
            case BYTES: {
                ByteBuffer buffer = ((ByteBuffer) datum).duplicate();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
            }
            case FIXED:
                return NODES.textNode(Base64.getEncoder().encodeToString(((GenericFixed) datum).bytes()));
            case INT:
                return datum instanceof LocalDate date ? NODES.textNode(date.toString())
                        : NODES.numberNode(((Number) datum).intValue());
            case LONG:
                return datum instanceof Instant instant ? NODES.textNode(instant.toString())
                        : NODES.numberNode(((Number) datum).longValue());
            case FLOAT:
            case DOUBLE: {
                double number = ((Number) datum).doubleValue();
                return Double.isFinite(number) ? NODES.numberNode(number) : NODES.textNode(Double.toString(number));
            }
            case BOOLEAN:
                return NODES.booleanNode((Boolean) datum);
            case STRING:
                return NODES.textNode(datum.toString());
            default:
                return datum instanceof GenericContainer ? NODES.textNode(datum.toString()) : NODES.nullNode();
        }
    }
}
