package dev.streamtune.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class DockerfileCheckTest {

    private static final Repository REPO = RepositoryFiles.REPOSITORY;

    @Test
    void theDockerfileIsConsistent() {
        Problems problems = DockerfileCheck.check(RepositoryFiles.dockerfile(), "Dockerfile", REPO.root(),
                RepositoryFiles.pytorchNativeVersion());
        assertTrue(problems.isEmpty(), problems::toString);
    }

    @Test
    void unpinnedImagesMissingStagesAndRootAreReported() {
        Dockerfile dockerfile = Dockerfile.parse("""
                FROM eclipse-temurin AS runtime
                COPY --from=eclipse-temurin:latest /opt/java /opt/java
                COPY deploy/docker/no-such-script /usr/local/bin/
                ENTRYPOINT ["java"]
                """);
        Problems problems = DockerfileCheck.check(dockerfile, "Bad.Dockerfile", REPO.root(), "2.7.1");
        assertTrue(problems.mention("Bad.Dockerfile:1", "FROM eclipse-temurin is not pinned"), problems::toString);
        assertTrue(problems.mention("Bad.Dockerfile:2", "eclipse-temurin:latest is not pinned"), problems::toString);
        assertTrue(problems.mention("no stage named build"), problems::toString);
        assertTrue(problems.mention("no stage named trainer-gpu"), problems::toString);
        assertTrue(problems.mention("no-such-script does not exist"), problems::toString);
        assertTrue(problems.mention("stage runtime", "ENTRYPOINT is not streamtune-service"), problems::toString);
        assertTrue(problems.mention("stage runtime", "runs as root"), problems::toString);
        assertTrue(problems.mention("stage runtime", "STREAMTUNE_BIND_HOST is null, not 0.0.0.0"), problems::toString);
    }

    @Test
    void aCudaStageForAnotherPyTorchVersionIsReported() {
        String text = YamlNodes.read(REPO.dockerfile());
        Problems problems = DockerfileCheck.check(Dockerfile.parse(text), "Dockerfile", REPO.root(), "2.9.0");
        assertTrue(problems.mention("trainer-gpu", "PYTORCH_VERSION", "2.9.0"), problems::toString);
        Problems url = DockerfileCheck.check(Dockerfile.parse(text.replace("%2Bcu128.zip", "%2Bcu126.zip")),
                "Dockerfile", REPO.root(), RepositoryFiles.pytorchNativeVersion());
        assertTrue(url.mention("libtorch URL", "flavor cu128"), url::toString);
        Problems cpu = DockerfileCheck.check(Dockerfile.parse(text.replace("STREAMTUNE_DEVICE=gpu", "STREAMTUNE_DEVICE=cpu")),
                "Dockerfile", REPO.root(), RepositoryFiles.pytorchNativeVersion());
        assertTrue(cpu.mention("trainer-gpu", "STREAMTUNE_DEVICE is cpu"), cpu::toString);
    }

    /** The build stage copies the whole tree and the root pom lists every module: none may be left out. */
    @Test
    void dockerignoreKeepsEveryModuleAndDropsBuildOutput() {
        List<String> patterns = new ArrayList<>();
        for (String line : YamlNodes.read(REPO.dockerignore()).split("\n")) {
            String pattern = line.strip();
            if (!pattern.isEmpty() && !pattern.startsWith("#")) {
                patterns.add(pattern.replaceAll("^/+|/+$", ""));
            }
        }
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(YamlNodes.read(REPO.rootPom()));
        List<String> problems = new ArrayList<>();
        while (module.find()) {
            String name = module.group(1);
            for (String pattern : patterns) {
                if (pattern.equals(name) || pattern.equals("*") || pattern.equals("**") || pattern.equals(name + "/**")
                        || pattern.equals(name + "/pom.xml")) {
                    problems.add(".dockerignore: " + pattern + " excludes module " + name);
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(patterns.contains("**/target"), ".dockerignore should exclude **/target (local build output)");
    }
}
