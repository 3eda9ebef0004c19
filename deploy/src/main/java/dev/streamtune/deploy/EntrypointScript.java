package dev.streamtune.deploy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * deploy/docker/streamtune-service as the deployment files depend on it: the services it can start, each with
 * its main class and default heap, from its case table ({@code ingest) main=...; heap=768m ;;}).
 */
public final class EntrypointScript {

    /** What the script runs for one service argument. */
    public record Entry(String mainClass, String heap) {
    }

    private static final Pattern CASE_LINE =
            Pattern.compile("(?m)^\\s*([a-z]+)\\)\\s+main=([\\w.]+);\\s+heap=(\\w+)\\s*;;");

    private final Map<String, Entry> entries;
    private final String text;

    private EntrypointScript(Map<String, Entry> entries, String text) {
        this.entries = entries;
        this.text = text;
    }

    public static EntrypointScript parse(String text) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        Matcher matcher = CASE_LINE.matcher(text);
        while (matcher.find()) {
            entries.put(matcher.group(1), new Entry(matcher.group(2), matcher.group(3)));
        }
        return new EntrypointScript(Map.copyOf(entries), text);
    }

    public Map<String, Entry> entries() {
        return entries;
    }

    /** Whether the script expands this environment variable. */
    public boolean reads(String environmentVariable) {
        return text.contains("${" + environmentVariable + ":") || text.contains("${" + environmentVariable + "}")
                || text.contains("$" + environmentVariable + " ");
    }
}
