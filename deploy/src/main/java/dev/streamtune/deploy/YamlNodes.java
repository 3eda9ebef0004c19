package dev.streamtune.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Loading YAML into plain maps and lists, and reading them without casts everywhere. */
public final class YamlNodes {

    private YamlNodes() {
    }

    /** Every document of a YAML text (merge keys resolved); a syntax error throws, naming the source. */
    public static List<Map<String, Object>> documents(String text, String source) {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        List<Map<String, Object>> documents = new ArrayList<>();
        try {
            for (Object document : yaml.loadAll(text)) {
                if (document == null) {
                    continue; // an empty document, e.g. after a trailing ---
                }
                if (!(document instanceof Map)) {
                    throw new IllegalArgumentException(source + ": a document is not a mapping but " + document);
                }
                documents.add(map(document));
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + " is not valid YAML: " + e.getMessage(), e);
        }
        return documents;
    }

    /** The single document of a YAML text. */
    public static Map<String, Object> document(String text, String source) {
        List<Map<String, Object>> documents = documents(text, source);
        if (documents.size() != 1) {
            throw new IllegalArgumentException(source + ": expected one YAML document, found " + documents.size());
        }
        return documents.get(0);
    }

    public static List<Map<String, Object>> documents(Path file) {
        return documents(read(file), file.toString());
    }

    public static Map<String, Object> document(Path file) {
        return document(read(file), file.toString());
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, value) -> copy.put(String.valueOf(key), value));
            return copy;
        }
        return Map.of();
    }

    public static List<Object> list(Object node) {
        if (node instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        return List.of();
    }

    /** A scalar as text (numbers and booleans too); null when absent or not a scalar. */
    public static String text(Object node) {
        if (node == null || node instanceof Map || node instanceof List) {
            return null;
        }
        return String.valueOf(node);
    }

    /** The node at a dotted path of mapping keys, or null. */
    public static Object at(Object node, String path) {
        Object current = node;
        for (String key : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    /** A list of strings given either as a YAML list or as one string split on whitespace (compose's forms). */
    public static List<String> words(Object node) {
        List<String> words = new ArrayList<>();
        if (node instanceof List<?> list) {
            list.forEach(item -> words.add(String.valueOf(item)));
        } else if (node != null) {
            for (String word : String.valueOf(node).trim().split("\\s+")) {
                if (!word.isEmpty()) {
                    words.add(word);
                }
            }
        }
        return words;
    }
}
