package dev.streamtune.ingest;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a start action (Kafka Streams' {@code start}) only once the task catalogue has been read to the end it had at
 * start-up, on a thread of its own so the service's HTTP server is up meanwhile. Started earlier, a restarted ingest
 * would judge the records waiting for it against an empty catalogue and dead-letter them all as UNKNOWN_TASK.
 * Closed before then, it never runs the action.
 */
final class DeferredStart implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeferredStart.class);

    /** What the start waits for: the follower's {@code awaitCaughtUp}. */
    interface Catalogue {
        /** @return whether the catalogue has been read to its start-up end within {@code timeout} */
        boolean awaitCaughtUp(Duration timeout) throws InterruptedException;
    }

    private final Catalogue catalogue;
    private final Runnable start;
    private final Duration logEvery;
    private final Object lock = new Object();
    private boolean cancelled;
    private volatile boolean started;
    private Thread thread;

    /** @param logEvery how often to log that the catalogue is still being read */
    DeferredStart(Catalogue catalogue, Runnable start, Duration logEvery) {
        this.catalogue = catalogue;
        this.start = start;
        this.logEvery = logEvery;
    }

    /** Starts waiting, on the thread {@code name}. */
    DeferredStart begin(String name) {
        thread = new Thread(this::awaitThenStart, name);
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** Whether the start action has run. */
    boolean started() {
        return started;
    }

    private void awaitThenStart() {
        try {
            while (!catalogue.awaitCaughtUp(logEvery)) {
                LOG.warn("Still reading the task catalogue; Kafka Streams starts once it has been read");
            }
        } catch (InterruptedException e) {
            return; // closed while waiting
        }
        synchronized (lock) {
            if (!cancelled) {
                start.run();
                started = true;
            }
        }
    }

    /** Cancels a start that has not happened yet, and waits for one in progress to finish. */
    @Override
    public void close() {
        synchronized (lock) {
            cancelled = true;
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
