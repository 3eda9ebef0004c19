package dev.streamtune.deploy;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One service's application.yml as the deployment files see it: its HTTP port, the property keys it defines
 * and the environment variables its placeholders read.
 */
public final class ServiceConfig {

    /**
     * The variable every service's {@code micronaut.server.host} reads: the services listen on loopback unless it
     * says otherwise, so an image must set it to a wildcard address to be reachable from outside its container.
     */
    public static final String BIND_HOST_VARIABLE = "STREAMTUNE_BIND_HOST";

    private final String service;
    private final String source;
    private final Map<String, String> properties;
    private final Set<String> placeholders;

    private ServiceConfig(String service, String source, Map<String, String> properties, Set<String> placeholders) {
        this.service = service;
        this.source = source;
        this.properties = properties;
        this.placeholders = placeholders;
    }

    public static ServiceConfig parse(String service, String yaml, String source) {
        Map<String, String> properties = new LinkedHashMap<>();
        flatten("", YamlNodes.document(yaml, source), properties);
        Set<String> placeholders = new LinkedHashSet<>();
        properties.values().forEach(value -> placeholders.addAll(Placeholders.environmentNames(value)));
        return new ServiceConfig(service, source, Collections.unmodifiableMap(properties),
                Collections.unmodifiableSet(placeholders));
    }

    public static ServiceConfig load(String service, Path applicationYml) {
        return parse(service, YamlNodes.read(applicationYml), applicationYml.toString());
    }

    private static void flatten(String prefix, Object node, Map<String, String> into) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> flatten(prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key, value,
                    into));
        } else if (node instanceof List<?> list) {
            into.put(prefix, String.join(",", list.stream().map(String::valueOf).toList()));
        } else {
            into.put(prefix, node == null ? "" : String.valueOf(node));
        }
    }

    public String service() {
        return service;
    }

    /** Where this configuration came from (the application.yml path), for problem messages. */
    public String source() {
        return source;
    }

    /** micronaut.server.port with placeholders at their defaults. */
    public int port() {
        String raw = properties.get("micronaut.server.port");
        if (raw == null) {
            throw new IllegalStateException(source + " has no micronaut.server.port");
        }
        String resolved = Placeholders.withDefaults(raw);
        try {
            return Integer.parseInt(resolved.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(source + ": micronaut.server.port " + raw + " has no numeric default", e);
        }
    }

    /** micronaut.server.host as written (placeholders unresolved); empty when the file does not set it. */
    public java.util.Optional<String> host() {
        return java.util.Optional.ofNullable(properties.get("micronaut.server.host"));
    }

    public Set<String> placeholders() {
        return placeholders;
    }

    public boolean hasProperty(String key) {
        return properties.containsKey(key);
    }

    /**
     * Whether setting this environment variable means something to the service: a placeholder reads it, or
     * Micronaut maps it onto a key the file defines.
     */
    public boolean reads(String environmentVariable) {
        if (placeholders.contains(environmentVariable)) {
            return true;
        }
        return MicronautEnvironment.propertyNames(environmentVariable).stream().anyMatch(properties::containsKey);
    }
}
