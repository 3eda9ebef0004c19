package dev.streamtune.launcher;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * When a service that exited on its own is started again: after a delay that doubles with each recent restart (up to
 * a cap), and at most {@code maxRestarts} times within {@code window}; beyond that the launcher gives up on it, since
 * a service that keeps dying needs a person. Pure: the caller passes the clock.
 */
final class RestartPolicy {

    private final int maxRestarts;
    private final Duration window;
    private final Duration firstDelay;
    private final Duration maxDelay;
    private final Deque<Instant> recent = new ArrayDeque<>();
    private int total;

    RestartPolicy(int maxRestarts, Duration window, Duration firstDelay, Duration maxDelay) {
        if (maxRestarts < 0 || window.isNegative() || firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("need maxRestarts >= 0, window >= 0, 0 <= firstDelay <= maxDelay");
        }
        this.maxRestarts = maxRestarts;
        this.window = window;
        this.firstDelay = firstDelay;
        this.maxDelay = maxDelay;
    }

    /** At most 5 restarts in 10 minutes, 1 s after the first exit, doubling to 30 s. */
    static RestartPolicy standard() {
        return new RestartPolicy(5, Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    /**
     * The service exited at {@code now}: how long to wait before restarting it, or empty when it has been restarted
     * too often lately. A restart granted is counted.
     */
    Optional<Duration> onExit(Instant now) {
        while (!recent.isEmpty() && !recent.peekFirst().isAfter(now.minus(window))) {
            recent.removeFirst();
        }
        if (recent.size() >= maxRestarts) {
            return Optional.empty();
        }
        Duration delay = firstDelay;
        for (int i = 0; i < recent.size() && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        recent.addLast(now);
        total++;
        return Optional.of(delay.compareTo(maxDelay) > 0 ? maxDelay : delay);
    }

    /** Restarts granted so far. */
    int restarts() {
        return total;
    }

    /** E.g. "5 restarts in 10 minutes", for the give-up message. */
    String limit() {
        return maxRestarts + " restarts in " + window.toMinutes() + " minutes";
    }
}
