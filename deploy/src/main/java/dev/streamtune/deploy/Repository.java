package dev.streamtune.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where the deployment files and the services' sources are in this repository. */
public record Repository(Path root) {

    /** The services the image runs, in pipeline order; each is also its module's directory name. */
    public static final List<String> SERVICES = List.of("ingest", "trainer", "evaluator", "serving");

    /** The repository around the working directory (a module directory when Maven runs the tests). */
    public static Repository locate() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            if (Files.isRegularFile(candidate.resolve("Dockerfile"))
                    && Files.isRegularFile(candidate.resolve("deploy").resolve("pom.xml"))) {
                return new Repository(candidate);
            }
        }
        throw new IllegalStateException("No Streamtune repository (Dockerfile and deploy/pom.xml) above " + dir);
    }

    public Path dockerfile() {
        return root.resolve("Dockerfile");
    }

    public Path dockerignore() {
        return root.resolve(".dockerignore");
    }

    public Path compose() {
        return root.resolve("docker-compose.yml");
    }

    public Path entrypoint() {
        return root.resolve("deploy/docker/streamtune-service");
    }

    public Path prometheus() {
        return root.resolve("deploy/prometheus/prometheus.yml");
    }

    public Path grafana() {
        return root.resolve("deploy/grafana");
    }

    public Path kubernetes() {
        return root.resolve("deploy/k8s");
    }

    public Path rootPom() {
        return root.resolve("pom.xml");
    }

    public Path launcherServices() {
        return root.resolve("launcher/src/main/java/dev/streamtune/launcher/Streamtune.java");
    }

    public Path applicationYml(String service) {
        return root.resolve(service).resolve("src/main/resources/application.yml");
    }

    /** The source file a main class of a service module would be in. */
    public Path mainSource(String service, String mainClass) {
        return root.resolve(service).resolve("src/main/java").resolve(mainClass.replace('.', '/') + ".java");
    }

    /** Every service's application.yml, by service name. */
    public Map<String, ServiceConfig> serviceConfigs() {
        Map<String, ServiceConfig> configs = new LinkedHashMap<>();
        for (String service : SERVICES) {
            Path file = applicationYml(service);
            configs.put(service, ServiceConfig.parse(service, YamlNodes.read(file), relative(file)));
        }
        return configs;
    }

    /** A path as it should appear in messages: relative to the repository root. */
    public String relative(Path path) {
        return root.relativize(path.toAbsolutePath()).toString();
    }
}
