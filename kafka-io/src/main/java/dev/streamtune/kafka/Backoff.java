package dev.streamtune.kafka;

import java.time.Duration;

/**
 * Delays between retries of a failing step: doubling from {@code first} up to {@code cap}, back to {@code first}
 * after a success. Pure, so the schedule is testable without a clock.
 */
public final class Backoff {

    private final Duration first;
    private final Duration cap;
    private Duration next;
    private int failures;

    public Backoff(Duration first, Duration cap) {
        if (first.isNegative() || first.isZero() || cap.compareTo(first) < 0) {
            throw new IllegalArgumentException("need 0 < first <= cap, got " + first + " and " + cap);
        }
        this.first = first;
        this.cap = cap;
        this.next = first;
    }

    /** The delay before the next retry; each call counts one more failure. */
    public Duration nextDelay() {
        Duration delay = next;
        failures++;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(cap) > 0 ? cap : doubled;
        return delay;
    }

    /** Failures since the last {@link #reset}. */
    public int failures() {
        return failures;
    }

    public Duration cap() {
        return cap;
    }

    /** The step succeeded: the next failure starts a new episode from {@code first}. */
    public void reset() {
        next = first;
        failures = 0;
    }
}
