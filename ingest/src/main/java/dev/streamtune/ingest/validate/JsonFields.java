package dev.streamtune.ingest.validate;

import static dev.streamtune.contract.ReasonCode.INVALID_FIELD;
import static dev.streamtune.contract.ReasonCode.MALFORMED;
import static dev.streamtune.contract.ReasonCode.TEXT_TOO_LONG;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.streamtune.contract.StrictUtf8;
import dev.streamtune.ingest.InvalidRecordException;

/**
 * One JSON object's top-level fields, read with Jackson's streaming parser, with typed accessors that reject a
 * field of the wrong type: text fields take JSON strings only (a number, boolean or array is not quietly turned
 * into text), numeric fields numbers only. Unknown fields are skipped unread; nested values only matter for
 * {@code attributes}, an object of strings.
 *
 * <p>Nothing huge is materialised: the parser refuses strings longer than {@link JsonLimits#maxStringChars()}, names
 * longer than the longest accepted attribute name, numbers longer than {@link #MAX_NUMBER_CHARS} and nesting deeper
 * than {@link #MAX_DEPTH} while reading them, and {@code attributes} stops at one entry past the accepted count.
 * The bytes must be well-formed UTF-8 ({@link StrictUtf8}: no overlong forms, no surrogates).
 */
final class JsonFields {

    /** Our objects are two deep (attributes); unknown fields may nest a little more, never thousands of levels. */
    static final int MAX_DEPTH = 16;
    /** Enough for any long (19 digits and a sign) or double in exponent notation. */
    static final int MAX_NUMBER_CHARS = 32;

    private final Map<String, Object> fields;

    private JsonFields(Map<String, Object> fields) {
        this.fields = fields;
    }

    /** The parser factory for the given limits: built once per validator, shared by its records. */
    static JsonFactory factory(JsonLimits limits) {
        return JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(limits.maxStringChars())
                .maxNameLength(ExampleValidator.MAX_FIELD_LENGTH)
                .maxNumberLength(MAX_NUMBER_CHARS)
                .maxNestingDepth(MAX_DEPTH)
                .build()).build();
    }

    /**
     * @param wanted the top-level fields to keep; any other is skipped
     * @throws InvalidRecordException MALFORMED when the bytes are not exactly one JSON object in valid UTF-8,
     *     INVALID_FIELD or TEXT_TOO_LONG when a value is over a limit
     */
    static JsonFields parse(JsonFactory json, byte[] bytes, Set<String> wanted) {
        int malformed = StrictUtf8.firstMalformed(bytes, 0, bytes.length);
        if (malformed >= 0) {
            throw new InvalidRecordException(MALFORMED, "invalid UTF-8 at byte " + malformed
                    + " (overlong, surrogate, truncated or not UTF-8)");
        }
        String field = null;
        try (JsonParser parser = json.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidRecordException(MALFORMED, "not a JSON object");
            }
            Map<String, Object> fields = new HashMap<>(16);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                field = parser.currentName();
                JsonToken token = parser.nextToken();
                if (wanted.contains(field)) {
                    fields.put(field, value(parser, token, field));
                } else {
                    parser.skipChildren();
                }
                field = null;
            }
            if (parser.nextToken() != null) {
                throw new InvalidRecordException(MALFORMED, "trailing data after the JSON object");
            }
            return new JsonFields(fields);
        } catch (StreamConstraintsException e) {
            throw overLimit(field, e);
        } catch (JsonProcessingException e) {
            throw new InvalidRecordException(MALFORMED, "invalid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at offset " + e.getLocation().getByteOffset()));
        } catch (IOException e) {
            throw new InvalidRecordException(MALFORMED, "unreadable JSON: " + e.getMessage());
        }
    }

    /** A parser limit was hit while reading {@code field} (null: between fields). */
    private static InvalidRecordException overLimit(String field, StreamConstraintsException e) {
        String what = e.getOriginalMessage();
        if ("text".equals(field) && what.startsWith("String value length")) {
            return new InvalidRecordException(TEXT_TOO_LONG, "text is longer than ingest reads at all "
                    + "(ingest.max-text-chars; " + what + ")");
        }
        if (what.startsWith("Document nesting depth")) {
            return new InvalidRecordException(MALFORMED, "JSON nested deeper than " + MAX_DEPTH + " levels");
        }
        return new InvalidRecordException(field == null ? MALFORMED : INVALID_FIELD,
                (field == null ? "a field name" : field) + " is over a size limit: " + what);
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

    /** An object of strings; anything else inside, or more entries than accepted, is an invalid field. */
    private static Map<String, String> flatObject(JsonParser parser, String name) throws IOException {
        Map<String, String> map = new HashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            JsonToken token = parser.nextToken();
            if (token == JsonToken.VALUE_NULL) {
                continue;
            }
            if (token != JsonToken.VALUE_STRING) {
                throw new InvalidRecordException(INVALID_FIELD, name + "." + JsonFields.abbreviate(key)
                        + " must be a string, not " + kind(token));
            }
            if (map.size() == ExampleValidator.MAX_ATTRIBUTES) {
                throw new InvalidRecordException(INVALID_FIELD, name + " has more than "
                        + ExampleValidator.MAX_ATTRIBUTES + " entries");
            }
            map.put(key, parser.getText());
        }
        return map;
    }

    /** A string field: a JSON string, never a number, boolean or array turned into text. */
    String string(String name) {
        Object value = fields.get(name);
        if (value == null || value instanceof String) {
            return (String) value;
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

    /**
     * Epoch milliseconds, or an ISO-8601 instant / offset date-time string. A number beyond 64 bits or a date
     * beyond {@link ExampleValidator#LATEST_EVENT_TIME} is refused, never wrapped or clamped into range.
     */
    Long epochMillis(String name) {
        Object value = fields.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            if (number instanceof BigInteger || number instanceof BigDecimal
                    || (number instanceof Double d && !(Math.abs(d) < 9.2e18))) {
                throw new InvalidRecordException(INVALID_FIELD, name + " " + abbreviate(number.toString())
                        + " is out of range for epoch milliseconds");
            }
            if (number instanceof Double || number instanceof Float) {
                return (long) Math.floor(number.doubleValue());
            }
            return number.longValue();
        }
        if (value instanceof String text) {
            try {
                return parseInstant(text).toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new InvalidRecordException(INVALID_FIELD, name + " '" + abbreviate(text)
                        + "' is neither epoch milliseconds nor an ISO-8601 date-time with an offset");
            }
        }
        throw invalid(name, "epoch milliseconds or an ISO-8601 string", value);
    }

    private static Instant parseInstant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            return OffsetDateTime.parse(text).toInstant();
        }
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

    private static String kind(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> "a number";
        };
    }

    static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
