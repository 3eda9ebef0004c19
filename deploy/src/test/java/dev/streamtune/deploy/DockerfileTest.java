package dev.streamtune.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DockerfileTest {

    private static final Dockerfile SAMPLE = Dockerfile.parse("""
            # syntax=docker/dockerfile:1
            FROM maven:3.9.11-eclipse-temurin-17 AS build
            RUN mvn package \\
                # a comment between continuation lines
                && echo done
            FROM --platform=linux/amd64 eclipse-temurin:17.0.16_8-jre-noble AS runtime
            ENV A=1 \\
                B="two words" \\
                PATH=/opt/bin:$PATH
            ARG URL=https://example.org/x.zip
            COPY --from=build /out /opt/out
            COPY --from=busybox:1.36 /bin/sh /bin/sh
            COPY deploy/docker/streamtune-service /usr/local/bin/
            USER 10001
            ENTRYPOINT ["streamtune-service"]
            """);

    @Test
    void stagesAndTheirInstructions() {
        assertEquals(List.of("build", "runtime"), SAMPLE.stages().stream().map(Dockerfile.Stage::name).toList());
        assertEquals("eclipse-temurin:17.0.16_8-jre-noble", SAMPLE.stage("runtime").orElseThrow().from());
        assertEquals("mvn package && echo done", SAMPLE.stage("build").orElseThrow().all("RUN").get(0).arguments());
        assertEquals(Map.of("A", "1", "B", "two words", "PATH", "/opt/bin:$PATH"),
                SAMPLE.stage("runtime").orElseThrow().env());
        assertEquals("https://example.org/x.zip", SAMPLE.stage("runtime").orElseThrow().args().get("URL"));
        assertEquals("10001", SAMPLE.stage("runtime").orElseThrow().user().orElseThrow());
    }

    @Test
    void copiesFromStagesAndImages() {
        assertTrue(SAMPLE.isStage("build"));
        assertTrue(SAMPLE.isStage("0"));
        assertFalse(SAMPLE.isStage("busybox:1.36"));
        assertEquals(List.of("build", "busybox:1.36"),
                SAMPLE.copiesFrom().stream().map(Dockerfile.CopyFrom::from).toList());
        assertEquals(List.of("deploy/docker/streamtune-service"), SAMPLE.contextSources());
    }
}
