package dev.streamtune.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** docker-compose.yml read into what the checks ask of it; short and long syntaxes both understood. */
public final class ComposeFile {

    /** A volume or bind mount of a service; bind when the source is a path. */
    public record Mount(String source, String target, boolean bind, boolean readOnly) {
    }

    private final Map<String, Object> root;
    private final String source;

    public ComposeFile(Map<String, Object> root, String source) {
        this.root = root;
        this.source = source;
    }

    public String source() {
        return source;
    }

    public Map<String, Object> services() {
        return YamlNodes.map(root.get("services"));
    }

    public Map<String, Object> service(String name) {
        return YamlNodes.map(services().get(name));
    }

    public Map<String, Object> namedVolumes() {
        return YamlNodes.map(root.get("volumes"));
    }

    /** Services built from this repository's Dockerfile: the Streamtune ones. */
    public boolean isBuilt(String service) {
        return service(service).containsKey("build");
    }

    /** The first word of the command: for a Streamtune service, which service the entrypoint runs. */
    public Optional<String> commandWord(String service) {
        List<String> words = YamlNodes.words(service(service).get("command"));
        return words.isEmpty() ? Optional.empty() : Optional.of(words.get(0));
    }

    public Optional<String> image(String service) {
        return Optional.ofNullable(YamlNodes.text(service(service).get("image")));
    }

    /** build: as a map (a plain string is the context). */
    public Map<String, Object> build(String service) {
        Object build = service(service).get("build");
        if (build instanceof String context) {
            return Map.of("context", context);
        }
        return YamlNodes.map(build);
    }

    public Map<String, String> environment(String service) {
        Object environment = service(service).get("environment");
        Map<String, String> variables = new LinkedHashMap<>();
        if (environment instanceof Map) {
            YamlNodes.map(environment).forEach((key, value) -> variables.put(key, YamlNodes.text(value)));
        } else {
            for (Object item : YamlNodes.list(environment)) {
                String entry = String.valueOf(item);
                int eq = entry.indexOf('=');
                variables.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? null : entry.substring(eq + 1));
            }
        }
        return variables;
    }

    public List<Mount> mounts(String service) {
        List<Mount> mounts = new ArrayList<>();
        for (Object item : YamlNodes.list(service(service).get("volumes"))) {
            if (item instanceof Map) {
                Map<String, Object> volume = YamlNodes.map(item);
                String type = YamlNodes.text(volume.get("type"));
                mounts.add(new Mount(YamlNodes.text(volume.get("source")), YamlNodes.text(volume.get("target")),
                        "bind".equals(type), Boolean.TRUE.equals(volume.get("read_only"))));
            } else {
                String[] parts = String.valueOf(item).split(":");
                if (parts.length == 1) {
                    mounts.add(new Mount(null, parts[0], false, false)); // anonymous volume
                } else {
                    String source = parts[0];
                    boolean bind = source.startsWith(".") || source.startsWith("/") || source.startsWith("~");
                    boolean readOnly = parts.length > 2 && parts[2].contains("ro");
                    mounts.add(new Mount(source, parts[1], bind, readOnly));
                }
            }
        }
        return mounts;
    }

    /** Container-side ports of ports: entries. */
    public List<Integer> containerPorts(String service) {
        List<Integer> ports = new ArrayList<>();
        for (Object item : YamlNodes.list(service(service).get("ports"))) {
            String port;
            if (item instanceof Map) {
                port = YamlNodes.text(YamlNodes.map(item).get("target"));
            } else {
                String[] parts = String.valueOf(item).split(":");
                port = parts[parts.length - 1];
            }
            if (port != null) {
                ports.add(Integer.parseInt(port.replaceAll("/.*", "").trim()));
            }
        }
        return ports;
    }

    public List<String> healthcheck(String service) {
        return YamlNodes.words(YamlNodes.at(service(service), "healthcheck.test"));
    }

    public boolean hasHealthcheck(String service) {
        Map<String, Object> healthcheck = YamlNodes.map(service(service).get("healthcheck"));
        return !healthcheck.isEmpty() && !Boolean.TRUE.equals(healthcheck.get("disable"));
    }

    public List<String> profiles(String service) {
        return YamlNodes.words(service(service).get("profiles"));
    }

    /** Whether deploy.resources.reservations.devices asks for a GPU. */
    public boolean reservesGpu(String service) {
        for (Object device : YamlNodes.list(YamlNodes.at(service(service), "deploy.resources.reservations.devices"))) {
            if (YamlNodes.words(YamlNodes.map(device).get("capabilities")).contains("gpu")) {
                return true;
            }
        }
        return false;
    }

    public String gpuDriver(String service) {
        for (Object device : YamlNodes.list(YamlNodes.at(service(service), "deploy.resources.reservations.devices"))) {
            return YamlNodes.text(YamlNodes.map(device).get("driver"));
        }
        return null;
    }

    /** depends_on as service -> condition (service_started for the list form). */
    public Map<String, String> dependsOn(String service) {
        Object dependsOn = service(service).get("depends_on");
        Map<String, String> conditions = new LinkedHashMap<>();
        if (dependsOn instanceof Map) {
            YamlNodes.map(dependsOn).forEach((name, spec) -> {
                String condition = YamlNodes.text(YamlNodes.map(spec).get("condition"));
                conditions.put(name, condition == null ? "service_started" : condition);
            });
        } else {
            YamlNodes.words(dependsOn).forEach(name -> conditions.put(name, "service_started"));
        }
        return conditions;
    }

    /** Every name another container on the compose network can use: service names and network aliases. */
    public Map<String, String> hostnames() {
        Map<String, String> hosts = new LinkedHashMap<>();
        for (String service : services().keySet()) {
            hosts.put(service, service);
            Object networks = service(service).get("networks");
            if (networks instanceof Map) {
                YamlNodes.map(networks).values().forEach(network -> YamlNodes.words(YamlNodes.map(network)
                        .get("aliases")).forEach(alias -> hosts.putIfAbsent(alias, service)));
            }
        }
        return hosts;
    }
}
