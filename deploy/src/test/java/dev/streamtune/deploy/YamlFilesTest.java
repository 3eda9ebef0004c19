package dev.streamtune.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class YamlFilesTest {

    private static final Repository REPO = RepositoryFiles.REPOSITORY;

    @Test
    void everyDeploymentYamlParses() throws IOException {
        List<Path> files = new ArrayList<>(List.of(REPO.compose()));
        try (Stream<Path> walk = Files.walk(REPO.root().resolve("deploy"))) {
            walk.filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/src/"))
                    .filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml"))
                    .forEach(files::add);
        }
        List<String> failures = new ArrayList<>();
        int documents = 0;
        for (Path file : files) {
            try {
                documents += YamlNodes.documents(file).size();
            } catch (RuntimeException e) {
                failures.add(REPO.relative(file) + ": " + e.getMessage());
            }
        }
        assertEquals(List.of(), failures, "YAML files that do not parse");
        // compose, prometheus, 2 grafana provisioning files, 4 kustomizations and the k8s manifests at least
        assertTrue(files.size() >= 16, "found only " + files.size() + " YAML files under deploy/: " + files);
        assertTrue(documents >= files.size(), "some YAML files are empty: " + documents + " documents");
    }

    @Test
    void dashboardsAreJsonWithTitleAndUid() throws IOException {
        List<Path> dashboards;
        try (Stream<Path> list = Files.list(REPO.grafana())) {
            dashboards = list.filter(p -> p.toString().endsWith(".json")).toList();
        }
        assertFalse(dashboards.isEmpty(), "no dashboard JSON in deploy/grafana");
        for (Path dashboard : dashboards) {
            JsonNode json = new ObjectMapper().readTree(dashboard.toFile());
            assertFalse(json.path("title").asText().isBlank(), dashboard + " has no title");
            assertFalse(json.path("uid").asText().isBlank(), dashboard + " has no uid");
            assertTrue(json.path("panels").size() > 0, dashboard + " has no panels");
        }
    }

    @Test
    void brokenYamlIsReportedWithItsSource() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> YamlNodes.documents("services: [unclosed", "broken.yml"));
        assertTrue(error.getMessage().contains("broken.yml"), error.getMessage());
    }

    @Test
    void mergeKeysAreResolved() {
        var compose = YamlNodes.document("""
                x-base: &base
                  image: a:1
                  restart: always
                services:
                  one:
                    <<: *base
                    image: b:2
                """, "merge.yml");
        assertEquals("b:2", YamlNodes.at(compose, "services.one.image"));
        assertEquals("always", YamlNodes.at(compose, "services.one.restart"));
    }
}
