package dev.streamtune.serving.predict;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.streamtune.serving.RequestRejectedException;
import dev.streamtune.serving.RequestRejectedException.Reason;

/**
 * The shape of a JSON request body (a flat object of named fields, each a string, an array of strings, an object
 * of strings, or a whole number) and a strict reader for it. Micronaut's own binding turns a number, a boolean or a
 * one-element array into a string and 4.7 into 4, and it builds every string however long before anything can
 * check it; this reader does neither:
 * <ul>
 *   <li>a value of another JSON type than its field's is refused (400), naming the field ({@code "texts[2]"});</li>
 *   <li>the parser's own limits (Jackson {@link StreamReadConstraints}) stop any string longer than the longest
 *       any field may hold, any nesting deeper than the shape has and any number longer than a {@code long}
 *       before they are materialised; each field's own length limit, and the number of entries of arrays and
 *       objects, are checked as they are read (413), naming the field and the limit;</li>
 *   <li>unknown and repeated fields, content after the object and malformed JSON are refused (400).</li>
 * </ul>
 * JSON {@code null} counts as absent. Thread-safe; build one per body shape.
 */
public final class JsonBodySchema {

    /** The JSON type a field holds. */
    enum Kind {
        TEXT("a string"), TEXTS("an array of strings"), TEXT_MAP("an object of strings"), WHOLE_NUMBER("a whole number");

        final String description;

        Kind(String description) {
            this.description = description;
        }
    }

    /**
     * @param maxLength  characters each string of the field may have (for an object: each key and each value)
     * @param maxEntries elements of an array, entries of an object
     */
    record Field(String name, Kind kind, int maxLength, int maxEntries) {
    }

    /**
     * The body and one array or object inside it, plus one level so that a value nested inside that is refused as
     * the wrong type of its field rather than as too deep.
     */
    private static final int MAX_DEPTH = 3;
    /** Field names up to this long are read (and, if unknown, named in the refusal). */
    private static final int MIN_NAME_LIMIT = 64;
    /** Digits of the longest whole number accepted ({@code long}), with a sign. */
    private static final int MAX_NUMBER_LENGTH = 20;

    private final Map<String, Field> fields;
    private final int longestString;
    private final JsonFactory json;

    private JsonBodySchema(Map<String, Field> fields) {
        this.fields = Collections.unmodifiableMap(fields);
        int longestValue = 1;
        int longestName = MIN_NAME_LIMIT;
        for (Field field : fields.values()) {
            longestValue = Math.max(longestValue, field.maxLength());
            longestName = Math.max(longestName, field.name().length());
        }
        // Twice the longest a value may be: a string a little over its limit is still read and refused with its
        // exact length; one far over it is stopped by the parser before it is built.
        this.longestString = 2 * longestValue;
        this.json = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(longestString).maxNameLength(Math.max(longestName, longestString))
                        .maxNestingDepth(MAX_DEPTH).maxNumberLength(MAX_NUMBER_LENGTH).build())
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Adds fields in the order the documentation lists them. */
    public static final class Builder {
        private final Map<String, Field> fields = new LinkedHashMap<>();

        public Builder text(String name, int maxLength) {
            return add(new Field(name, Kind.TEXT, maxLength, 0));
        }

        public Builder texts(String name, int maxEntries, int maxLength) {
            return add(new Field(name, Kind.TEXTS, maxLength, maxEntries));
        }

        public Builder textMap(String name, int maxEntries, int maxLength) {
            return add(new Field(name, Kind.TEXT_MAP, maxLength, maxEntries));
        }

        public Builder wholeNumber(String name) {
            return add(new Field(name, Kind.WHOLE_NUMBER, 0, 0));
        }

        private Builder add(Field field) {
            if (field.maxLength() < 0 || field.maxEntries() < 0 || fields.putIfAbsent(field.name(), field) != null) {
                throw new IllegalArgumentException("bad or repeated field " + field);
            }
            return this;
        }

        public JsonBodySchema build() {
            return new JsonBodySchema(new LinkedHashMap<>(fields));
        }
    }

    /**
     * Reads a body.
     *
     * @throws RequestRejectedException MALFORMED (400) for anything but an object of the declared fields and types,
     *                                  TOO_LARGE (413) for a string, array or object over its field's limit
     */
    public JsonBody read(byte[] body) {
        if (body == null || body.length == 0) {
            throw malformed("The body must be a JSON object; it is empty");
        }
        Reading reading = new Reading();
        try (JsonParser parser = json.createParser(body)) {
            try {
                return reading.object(parser);
            } catch (StreamConstraintsException e) {
                throw reading.overConstraint(e, parser);
            }
        } catch (JsonProcessingException e) {
            throw malformed("Malformed JSON: " + e.getOriginalMessage() + (e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw malformed("Unreadable body: " + e.getMessage());
        }
    }

    /** One read: where in the body it is, so that a refusal from the parser itself can name the field. */
    private final class Reading {
        private Field field;
        private String path;

        JsonBody object(JsonParser parser) throws IOException {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw malformed("The body must be a JSON object of the fields " + fields.keySet());
            }
            Map<String, Object> values = new LinkedHashMap<>();
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
                String name = parser.currentName();
                field = fields.get(name);
                if (field == null) {
                    throw malformed("Unknown field \"" + name + "\"; the body takes " + fields.keySet());
                }
                if (values.containsKey(name)) {
                    throw malformed("\"" + name + "\" appears twice");
                }
                path = name;
                JsonToken value = parser.nextToken();
                values.put(name, value == JsonToken.VALUE_NULL ? null : switch (field.kind()) {
                    case TEXT -> text(parser);
                    case TEXTS -> texts(parser);
                    case TEXT_MAP -> textMap(parser);
                    case WHOLE_NUMBER -> wholeNumber(parser);
                });
                field = null;
                path = null;
            }
            if (parser.nextToken() != null) {
                throw malformed("Content after the JSON object");
            }
            values.values().removeIf(java.util.Objects::isNull);
            return new JsonBody(values);
        }

        private String text(JsonParser parser) throws IOException {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                throw wrongType(path, Kind.TEXT, parser.currentToken());
            }
            String text = parser.getText();
            if (text.length() > field.maxLength()) {
                throw new RequestRejectedException(Reason.TOO_LARGE, "\"" + path + "\" has " + text.length()
                        + " characters; the limit is " + field.maxLength());
            }
            return text;
        }

        private List<String> texts(JsonParser parser) throws IOException {
            if (parser.currentToken() != JsonToken.START_ARRAY) {
                throw wrongType(path, field.kind(), parser.currentToken());
            }
            List<String> texts = new ArrayList<>();
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                if (texts.size() == field.maxEntries()) {
                    throw new RequestRejectedException(Reason.TOO_LARGE, "\"" + field.name() + "\" has more than "
                            + field.maxEntries() + " entries; at most " + field.maxEntries() + " per request");
                }
                path = field.name() + "[" + texts.size() + "]";
                texts.add(text(parser));
            }
            return texts;
        }

        private Map<String, String> textMap(JsonParser parser) throws IOException {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw wrongType(path, field.kind(), parser.currentToken());
            }
            Map<String, String> map = new LinkedHashMap<>();
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
                String key = parser.currentName();
                if (map.size() == field.maxEntries()) {
                    throw new RequestRejectedException(Reason.TOO_LARGE, "\"" + field.name() + "\" has more than "
                            + field.maxEntries() + " entries; the limit is " + field.maxEntries());
                }
                if (key.length() > field.maxLength()) {
                    throw new RequestRejectedException(Reason.TOO_LARGE, "A key of \"" + field.name() + "\" has "
                            + key.length() + " characters; the limit is " + field.maxLength());
                }
                path = field.name() + "." + key;
                if (map.containsKey(key)) {
                    throw malformed("\"" + path + "\" appears twice");
                }
                parser.nextToken();
                map.put(key, text(parser));
            }
            return map;
        }

        private Long wholeNumber(JsonParser parser) throws IOException {
            if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                throw wrongType(path, field.kind(), parser.currentToken());
            }
            try {
                return parser.getLongValue();
            } catch (InputCoercionException e) {
                throw malformed("\"" + path + "\" is out of range");
            }
        }

        /**
         * The parser's own limits, which stop a value before it is materialised. The parser reads a number (but
         * not a string) together with the field name before it, so the field may not be known here yet: the
         * parser's current name tells it.
         */
        RequestRejectedException overConstraint(StreamConstraintsException e, JsonParser parser) {
            String name = currentName(parser);
            if (field == null && name != null && fields.containsKey(name)) {
                field = fields.get(name);
                path = field.name();
            }
            String what = e.getMessage() == null ? "" : e.getMessage();
            String where = path == null ? "The body" : "\"" + path + "\"";
            if (what.contains("nesting depth")) {
                return malformed(where + " nests deeper than the body's shape: " + fieldList());
            }
            if (what.contains("Number value length") || field != null && field.kind() == Kind.WHOLE_NUMBER) {
                return malformed(where + " is a number of more than " + MAX_NUMBER_LENGTH + " digits");
            }
            if (field == null) {
                // Names are read before the field is known: an unknown name longer than any value may be.
                return new RequestRejectedException(Reason.TOO_LARGE, "A field name has more than " + longestString
                        + " characters; the body takes " + fields.keySet());
            }
            return new RequestRejectedException(Reason.TOO_LARGE, where + " has more than " + longestString
                    + " characters; the limit is " + field.maxLength());
        }
    }

    private static String currentName(JsonParser parser) {
        try {
            return parser.currentName();
        } catch (IOException e) {
            return null;
        }
    }

    private static RequestRejectedException wrongType(String path, Kind expected, JsonToken found) {
        return malformed("\"" + path + "\" must be " + expected.description + ", not " + describe(found));
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "missing";
        }
        return switch (token) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }

    private String fieldList() {
        List<String> list = new ArrayList<>();
        fields.values().forEach(f -> list.add(f.name() + ": " + f.kind().description));
        return String.join(", ", list);
    }

    private static RequestRejectedException malformed(String message) {
        return new RequestRejectedException(Reason.MALFORMED, message);
    }

    /** The fields of one body that were present and not null, read with their declared types. */
    public static final class JsonBody {
        private final Map<String, Object> values;

        JsonBody(Map<String, Object> values) {
            this.values = values;
        }

        /** A {@code text} field; null when absent. */
        public String text(String name) {
            return (String) values.get(name);
        }

        @SuppressWarnings("unchecked")
        public List<String> texts(String name) {
            List<String> texts = (List<String>) values.get(name);
            return texts == null ? null : List.copyOf(texts);
        }

        @SuppressWarnings("unchecked")
        public Map<String, String> textMap(String name) {
            Map<String, String> map = (Map<String, String>) values.get(name);
            return map == null ? null : Collections.unmodifiableMap(map);
        }

        public Long wholeNumber(String name) {
            return (Long) values.get(name);
        }
    }
}
