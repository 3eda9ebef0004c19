package dev.streamtune.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One Kubernetes object from a manifest file. */
public record KubernetesResource(String file, Map<String, Object> document) {

    public static List<KubernetesResource> load(Path file, String label) {
        List<KubernetesResource> resources = new ArrayList<>();
        for (Map<String, Object> document : YamlNodes.documents(file)) {
            resources.add(new KubernetesResource(label, document));
        }
        return resources;
    }

    public static List<KubernetesResource> parse(String yaml, String label) {
        return YamlNodes.documents(yaml, label).stream().map(d -> new KubernetesResource(label, d)).toList();
    }

    public String kind() {
        return String.valueOf(document.get("kind"));
    }

    public String name() {
        return String.valueOf(YamlNodes.at(document, "metadata.name"));
    }

    public Object at(String path) {
        return YamlNodes.at(document, path);
    }

    /** "file: Kind/name", the start of every problem about this object. */
    public String where() {
        return file + ": " + kind() + "/" + name();
    }
}
