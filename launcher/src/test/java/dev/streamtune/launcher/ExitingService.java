package dev.streamtune.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A stand-in service for {@link SupervisedServiceTest}: notes its restart count, then exits or waits to be killed. */
public final class ExitingService {

    private ExitingService() {
    }

    public static void main(String[] args) throws Exception {
        Files.writeString(Path.of(System.getenv("STARTS_FILE")), System.getenv("STREAMTUNE_RESTARTS") + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        if ("exit".equals(System.getenv("BEHAVIOUR"))) {
            System.exit(3);
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
