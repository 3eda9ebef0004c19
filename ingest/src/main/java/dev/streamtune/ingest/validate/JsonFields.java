package dev.streamtune.ingest.validate;

import static dev.streamtune.ingest.ReasonCode.INVALID_FIELD;
import static dev.streamtune.ingest.ReasonCode.MALFORMED;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.streamtune.ingest.InvalidRecordException;

/**
 * One JSON object's top-level fields, read with Jackson's streaming parser, with typed accessors that reject a
 * field of the wrong type. Unknown fields are skipped unread; nested values only matter for {@code attributes}.
 */
final class JsonFields {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final Map<String, Object> fields;

    private JsonFields(Map<String, Object> fields) {
        this.fields = fields;
    }

    /**
     * @param wanted the top-level fields to keep; any other is skipped
     * @throws InvalidRecordException MALFORMED when the bytes are not exactly one JSON object
     */
    static JsonFields parse(byte[] bytes, java.util.Set<String> wanted) {
        try (JsonParser parser = JSON.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidRecordException(MALFORMED, "not a JSON object");
            }
            Map<String, Object> fields = new HashMap<>(16);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                if (wanted.contains(name)) {
                    fields.put(name, value(parser, token, name));
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new InvalidRecordException(MALFORMED, "trailing data after the JSON object");
            }
            return new JsonFields(fields);
        } catch (JsonProcessingException e) {
            throw new InvalidRecordException(MALFORMED, "invalid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at offset " + e.getLocation().getByteOffset()));
        } catch (IOException e) {
            throw new InvalidRecordException(MALFORMED, "unreadable JSON: " + e.getMessage());
        }
    }

    private static Object value(JsonParser parser, JsonToken token, String name) throws IOException {
        switch (token) {
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return parser.getNumberValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            case START_OBJECT:
                return flatObject(parser, name);
            default:
                parser.skipChildren();
                return new Object[0]; // an array: no field accepts one, so the accessor reports it
        }
    }

    /** An object of scalars, as strings; a nested object or array inside is an invalid field. */
    private static Map<String, String> flatObject(JsonParser parser, String name) throws IOException {
        Map<String, String> map = new HashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            JsonToken token = parser.nextToken();
            if (token.isStructStart()) {
                throw new InvalidRecordException(INVALID_FIELD, name + "." + key + " must be a string, number or "
                        + "boolean, not " + (token == JsonToken.START_OBJECT ? "an object" : "an array"));
            }
            if (token != JsonToken.VALUE_NULL) {
                map.put(key, parser.getText());
            }
        }
        return map;
    }

    /** A string field; numbers are accepted for ids and the like when {@code numbersAllowed}. */
    String string(String name, boolean numbersAllowed) {
        Object value = fields.get(name);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (numbersAllowed && value instanceof Number) {
            return value.toString();
        }
        throw invalid(name, "a string", value);
    }

    Double number(String name) {
        Object value = fields.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        throw invalid(name, "a number", value);
    }

    Integer integer(String name) {
        Object value = fields.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())
                && Math.abs(number.doubleValue()) <= Integer.MAX_VALUE) {
            return number.intValue();
        }
        throw invalid(name, "an integer", value);
    }

    /** Epoch milliseconds, or an ISO-8601 instant / offset date-time string. */
    Long epochMillis(String name) {
        Object value = fields.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            if (number instanceof Double || number instanceof Float || number instanceof java.math.BigDecimal) {
                return (long) Math.floor(number.doubleValue());
            }
            return number.longValue();
        }
        if (value instanceof String text) {
            try {
                return Instant.parse(text).toEpochMilli();
            } catch (DateTimeParseException notAnInstant) {
                try {
                    return OffsetDateTime.parse(text).toInstant().toEpochMilli();
                } catch (DateTimeParseException e) {
                    throw new InvalidRecordException(INVALID_FIELD, name + " '" + abbreviate(text)
                            + "' is neither epoch milliseconds nor an ISO-8601 date-time with an offset");
                }
            }
        }
        throw invalid(name, "epoch milliseconds or an ISO-8601 string", value);
    }

    @SuppressWarnings("unchecked")
    Map<String, String> stringMap(String name) {
        Object value = fields.get(name);
        if (value == null || value instanceof Map) {
            return (Map<String, String>) value;
        }
        throw invalid(name, "an object", value);
    }

    private static InvalidRecordException invalid(String name, String expected, Object actual) {
        String kind = actual instanceof String ? "a string" : actual instanceof Number ? "a number"
                : actual instanceof Boolean ? "a boolean" : actual instanceof Map ? "an object" : "an array";
        return new InvalidRecordException(INVALID_FIELD, name + " must be " + expected + ", not " + kind);
    }

    static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
