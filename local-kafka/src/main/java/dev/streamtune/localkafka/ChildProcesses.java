package dev.streamtune.localkafka;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stopping the JVMs we start (the broker, the services): politely first, by force only if they hang. */
public final class ChildProcesses {

    private static final Logger LOG = LoggerFactory.getLogger(ChildProcesses.class);

    private ChildProcesses() {
    }

    /** SIGTERM, so the child runs its shutdown hooks (Kafka's controlled shutdown, Micronaut's close); then SIGKILL. */
    public static void stop(Process process, Duration timeout, String what) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} did not stop within {}; killing it", what, timeout);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
