package dev.streamtune.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes (a stand-in main class on this test's classpath) under the launcher's supervision. */
class SupervisedServiceTest {

    @TempDir
    Path repo;

    @Test
    void aServiceThatKeepsExitingIsRestartedWithItsCountUntilThePolicyGivesUp() throws Exception {
        Path starts = repo.resolve("starts.txt");
        RestartPolicy twice = new RestartPolicy(2, Duration.ofMinutes(10), Duration.ofMillis(50),
                Duration.ofMillis(100));
        try (SupervisedService supervised = SupervisedService.start(stub(), repo,
                Map.of("STARTS_FILE", starts.toString(), "BEHAVIOUR", "exit"), "127.0.0.1", twice)) {
            awaitLines(starts, 3);
            Thread.sleep(2000); // a fourth start would have happened by now
            assertEquals(List.of("0", "1", "2"), Files.readAllLines(starts), "started, then restarted twice");
            assertEquals(2, supervised.restarts());
        }
    }

    @Test
    void aServiceStoppedOnPurposeIsNotRestarted() throws Exception {
        Path starts = repo.resolve("starts.txt");
        SupervisedService supervised = SupervisedService.start(stub(), repo,
                Map.of("STARTS_FILE", starts.toString(), "BEHAVIOUR", "wait"), "127.0.0.1",
                new RestartPolicy(5, Duration.ofMinutes(10), Duration.ofMillis(10), Duration.ofMillis(10)));
        awaitLines(starts, 1);
        supervised.close();
        Thread.sleep(1000);
        assertEquals(List.of("0"), Files.readAllLines(starts));
        assertEquals(0, supervised.restarts());
    }

    /** A "module" whose runtime classpath is this test's, so the stand-in main class runs as the service. */
    private ServiceProcess.Service stub() throws Exception {
        ServiceProcess.Service service = new ServiceProcess.Service("stub", "stub", ExitingService.class.getName(),
                0, "64m");
        Files.createDirectories(repo.resolve("stub/target/classes"));
        Files.writeString(service.classpathFile(repo), System.getProperty("java.class.path"));
        return service;
    }

    private static void awaitLines(Path file, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && (!Files.exists(file) || Files.readAllLines(file).size() < count)) {
            Thread.sleep(50);
        }
        assertEquals(count, Files.readAllLines(file).size());
    }
}
