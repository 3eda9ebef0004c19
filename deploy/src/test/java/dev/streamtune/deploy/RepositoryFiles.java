package dev.streamtune.deploy;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository's real deployment files, parsed, for the tests that check them. */
final class RepositoryFiles {

    static final Repository REPOSITORY = Repository.locate();

    private RepositoryFiles() {
    }

    static Map<String, ServiceConfig> configs() {
        return REPOSITORY.serviceConfigs();
    }

    static Dockerfile dockerfile() {
        return Dockerfile.parse(YamlNodes.read(REPOSITORY.dockerfile()));
    }

    static ComposeFile compose() {
        return new ComposeFile(YamlNodes.document(REPOSITORY.compose()), "docker-compose.yml");
    }

    static ComposeFile compose(String yaml) {
        return new ComposeFile(YamlNodes.document(yaml, "test-compose.yml"), "test-compose.yml");
    }

    static EntrypointScript entrypoint() {
        return EntrypointScript.parse(YamlNodes.read(REPOSITORY.entrypoint()));
    }

    static String pytorchNativeVersion() {
        Matcher version = Pattern.compile("<djl\\.pytorch\\.native\\.version>([^<]+)<")
                .matcher(YamlNodes.read(REPOSITORY.rootPom()));
        if (!version.find()) {
            throw new IllegalStateException("pom.xml has no djl.pytorch.native.version");
        }
        return version.group(1).trim();
    }

    /** The base manifests, freshly parsed (tests may change them). */
    static List<KubernetesResource> kubernetesBase() {
        var base = REPOSITORY.kubernetes().resolve("base");
        var kustomization = YamlNodes.document(base.resolve("kustomization.yaml"));
        return YamlNodes.words(kustomization.get("resources")).stream()
                .flatMap(file -> KubernetesResource.load(base.resolve(file), "deploy/k8s/base/" + file).stream())
                .toList();
    }
}
