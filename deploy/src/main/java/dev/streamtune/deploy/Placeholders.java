package dev.streamtune.deploy;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Micronaut property placeholders: {@code ${NAME}} and {@code ${NAME:default}}. */
public final class Placeholders {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)(?::([^}]*))?}");
    private static final Pattern ENVIRONMENT_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");

    private Placeholders() {
    }

    /** The environment-variable names (upper case) a value's placeholders refer to. */
    public static Set<String> environmentNames(String value) {
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = PLACEHOLDER.matcher(value);
        while (matcher.find()) {
            if (ENVIRONMENT_NAME.matcher(matcher.group(1)).matches()) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    /** The value with every placeholder that has a default replaced by that default (what runs with no env). */
    public static String withDefaults(String value) {
        Matcher matcher = PLACEHOLDER.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String replacement = matcher.group(2) != null ? matcher.group(2) : matcher.group();
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }
}
