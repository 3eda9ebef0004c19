package dev.streamtune.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class RestartPolicyTest {

    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void restartsWithADelayThatDoublesUpToTheCap() {
        RestartPolicy policy = new RestartPolicy(10, Duration.ofMinutes(10), Duration.ofSeconds(1),
                Duration.ofSeconds(5));
        assertEquals(Optional.of(Duration.ofSeconds(1)), policy.onExit(T0));
        assertEquals(Optional.of(Duration.ofSeconds(2)), policy.onExit(T0.plusSeconds(10)));
        assertEquals(Optional.of(Duration.ofSeconds(4)), policy.onExit(T0.plusSeconds(20)));
        assertEquals(Optional.of(Duration.ofSeconds(5)), policy.onExit(T0.plusSeconds(30)));
        assertEquals(4, policy.restarts());
    }

    @Test
    void givesUpAfterTooManyRestartsWithinTheWindow() {
        RestartPolicy policy = RestartPolicy.standard();
        for (int i = 0; i < 5; i++) {
            assertTrue(policy.onExit(T0.plusSeconds(60L * i)).isPresent(), "restart " + (i + 1));
        }
        assertEquals(Optional.empty(), policy.onExit(T0.plusSeconds(300)));
        assertEquals(5, policy.restarts(), "a refused restart is not counted");
    }

    @Test
    void restartsAgainOnceOldRestartsLeaveTheWindowWithTheDelayStartingOver() {
        RestartPolicy policy = new RestartPolicy(2, Duration.ofMinutes(10), Duration.ofSeconds(1),
                Duration.ofSeconds(30));
        policy.onExit(T0);
        policy.onExit(T0.plusSeconds(60));
        assertEquals(Optional.empty(), policy.onExit(T0.plusSeconds(120)));
        assertEquals(Optional.of(Duration.ofSeconds(1)), policy.onExit(T0.plusSeconds(60 * 12)),
                "both earlier restarts are more than 10 minutes old");
        assertEquals(3, policy.restarts());
    }

    @Test
    void refusesANonsensicalPolicy() {
        assertThrows(IllegalArgumentException.class,
                () -> new RestartPolicy(-1, Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofSeconds(2)));
        assertThrows(IllegalArgumentException.class,
                () -> new RestartPolicy(1, Duration.ofMinutes(1), Duration.ofSeconds(3), Duration.ofSeconds(2)));
    }
}
