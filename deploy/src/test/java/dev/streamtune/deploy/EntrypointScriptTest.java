package dev.streamtune.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class EntrypointScriptTest {

    private static final Repository REPO = RepositoryFiles.REPOSITORY;
    private static final EntrypointScript SCRIPT = RepositoryFiles.entrypoint();

    @Test
    void startsEveryServiceFromAnExistingMainClass() {
        assertEquals(Set.copyOf(Repository.SERVICES), SCRIPT.entries().keySet(),
                "services in the case table of deploy/docker/streamtune-service");
        SCRIPT.entries().forEach((service, entry) -> {
            Path source = REPO.mainSource(service, entry.mainClass());
            assertTrue(Files.isRegularFile(source), "deploy/docker/streamtune-service: " + service + " runs "
                    + entry.mainClass() + " but " + REPO.relative(source) + " does not exist");
        });
    }

    @Test
    void runsWhatTheLauncherRuns() {
        Map<String, LauncherServices.Service> launcher =
                LauncherServices.parse(YamlNodes.read(REPO.launcherServices()));
        assertEquals(Repository.SERVICES, List.copyOf(launcher.keySet()), "launcher Streamtune.SERVICES");
        var configs = RepositoryFiles.configs();
        launcher.forEach((name, service) -> {
            EntrypointScript.Entry entry = SCRIPT.entries().get(name);
            assertEquals(service.mainClass(), entry.mainClass(), "main class of " + name
                    + ": deploy/docker/streamtune-service vs launcher Streamtune.java");
            assertEquals(service.heap(), entry.heap(), "heap of " + name
                    + ": deploy/docker/streamtune-service vs launcher Streamtune.java");
            assertEquals(name, service.module(), "the image lays out module " + name);
            assertEquals(service.port(), configs.get(name).port(), "port of " + name
                    + ": launcher Streamtune.java vs " + configs.get(name).source());
        });
    }

    @Test
    void readsTheVariablesAllowedForIt() {
        for (String variable : RuntimeEnvironment.ENTRYPOINT) {
            assertTrue(SCRIPT.reads(variable), "deploy/docker/streamtune-service no longer reads " + variable
                    + ", yet RuntimeEnvironment allows setting it");
        }
        assertFalse(SCRIPT.reads("NOT_A_VARIABLE_IT_READS"));
    }

    @Test
    void scriptsAreExecutableAndParse() throws Exception {
        List<Path> scripts = List.of(REPO.entrypoint(), REPO.root().resolve("deploy/docker/streamtune-healthcheck"),
                REPO.root().resolve("deploy/docker/layout.sh"));
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "no bash here");
        for (Path script : scripts) {
            assertTrue(Files.isExecutable(script), REPO.relative(script) + " is not executable");
            Process check = new ProcessBuilder("/bin/bash", "-n", script.toString()).redirectErrorStream(true).start();
            assertTrue(check.waitFor(30, TimeUnit.SECONDS), "bash -n " + script + " did not finish");
            String output = new String(check.getInputStream().readAllBytes());
            assertEquals(0, check.exitValue(), "bash -n " + REPO.relative(script) + ": " + output);
        }
    }
}
