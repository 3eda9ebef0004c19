package dev.streamtune.kafka;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread a service's hand-built consumer loop runs on, and the one way to stop it: clear the flag, wake the
 * consumer out of {@code poll()} (not {@code interrupt()}: the consumer must still close cleanly), then wait.
 *
 * <p>A loop made with {@link #recovering} survives transient faults: its {@link Attempt} (open the clients, poll
 * until stopped) is run again after a capped backoff whenever it throws something {@link KafkaFaults} does not call
 * fatal. Each episode of faults is logged once when it starts and once when it ends ({@link #progressed}), and every
 * fault is counted. A fatal fault ends the loop after logging why.
 */
public final class ConsumerLoop {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);
    /** First retry after a fault, and the longest wait between two retries. */
    public static final Duration FIRST_RETRY = Duration.ofMillis(500);
    public static final Duration LONGEST_RETRY = Duration.ofSeconds(30);

    /** One connection's worth of a loop's work: open clients, poll until {@link #running()} is false. */
    @FunctionalInterface
    public interface Attempt {
        void run() throws Exception;
    }

    private final String name;
    private final Thread thread;
    private final Object sleeper = new Object();
    private final AtomicLong faults = new AtomicLong();
    private final Backoff backoff = new Backoff(FIRST_RETRY, LONGEST_RETRY);
    private volatile boolean running = true;
    private volatile KafkaConsumer<?, ?> consumer;
    private volatile String ongoingFault;
    private volatile String fatalFault;

    /** @param daemon true for loops that must not keep the JVM alive on their own */
    public ConsumerLoop(String name, Runnable body, boolean daemon) {
        this.name = name;
        this.thread = new Thread(body, name);
        thread.setDaemon(daemon);
    }

    /** A loop that runs {@code attempt} again after each transient fault, until stopped or a fatal fault. */
    public static ConsumerLoop recovering(String name, boolean daemon, Attempt attempt) {
        ConsumerLoop[] self = new ConsumerLoop[1];
        self[0] = new ConsumerLoop(name, () -> self[0].recover(attempt), daemon);
        return self[0];
    }

    public void start() {
        thread.start();
    }

    /** The loop's condition: false once {@link #stop} was called. */
    public boolean running() {
        return running;
    }

    public boolean alive() {
        return thread.isAlive();
    }

    /** Registers the consumer the loop polls, so {@link #stop} can wake it. */
    public void polling(KafkaConsumer<?, ?> polled) {
        this.consumer = polled;
    }

    /** Faults survived so far (each retry of a failing attempt or step counts one). */
    public long faults() {
        return faults.get();
    }

    /** The fault of the episode in progress, e.g. "TimeoutException: ...", or null when the loop is healthy. */
    public String ongoingFault() {
        return ongoingFault;
    }

    /** Why the loop ended for good, or null. */
    public String fatalFault() {
        return fatalFault;
    }

    /**
     * Called by the attempt after each step that worked (a poll, a commit): ends the episode of faults, if any, and
     * restarts the backoff from its first delay.
     */
    public void progressed() {
        if (ongoingFault != null) {
            LOG.info("{}: recovered after {} failed attempt(s)", name, backoff.failures());
            ongoingFault = null;
        }
        backoff.reset();
    }

    /**
     * Counts a transient fault of a step the caller retries itself (a send, a transaction), logs it if it starts an
     * episode, and waits out the backoff.
     *
     * @throws StopRequested when the loop is stopped meanwhile
     */
    public void retryAfter(Throwable fault, String what) {
        faults.incrementAndGet();
        Duration delay = backoff.nextDelay();
        if (ongoingFault == null) {
            ongoingFault = fault.toString();
            LOG.warn("{}: {} failed ({}); retrying with backoff up to {} s until it works (logged once per episode)",
                    name, what, fault.toString(), backoff.cap().toSeconds());
        } else {
            LOG.debug("{}: {} failed again ({})", name, what, fault.toString());
        }
        pause(delay);
        if (!running) {
            throw new StopRequested();
        }
    }

    private void recover(Attempt attempt) {
        while (running) {
            try {
                attempt.run();
                return;
            } catch (Throwable fault) {
                if (!running || fault instanceof StopRequested) {
                    return;
                }
                if (fault instanceof WakeupException || fault instanceof InterruptException) {
                    continue; // woken without a stop: poll again
                }
                if (KafkaFaults.isFatal(fault)) {
                    fatalFault = fault.toString();
                    LOG.error("{}: stopping for good: {} cannot be cured by retrying", name, fault.toString(), fault);
                    return;
                }
                try {
                    retryAfter(fault, "the loop");
                } catch (StopRequested stop) {
                    return;
                }
            }
        }
    }

    private void pause(Duration delay) {
        long until = System.nanoTime() + delay.toNanos();
        synchronized (sleeper) {
            long left;
            while (running && (left = until - System.nanoTime()) > 0) {
                try {
                    sleeper.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    public void stop(Duration patience) {
        running = false;
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
        KafkaConsumer<?, ?> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(patience.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Thrown out of a retry or a long step when the loop was stopped meanwhile; ends the attempt quietly. */
    public static final class StopRequested extends RuntimeException {
        public StopRequested() {
            super("stop requested", null, false, false);
        }
    }
}
