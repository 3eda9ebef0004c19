package dev.streamtune.evaluator.deadletters;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class DeadLetterSettingsTest {

    private final DeadLetterSettings settings = new DeadLetterSettings(Duration.ofSeconds(30),
            Duration.ofSeconds(120), null);

    @Test
    void aReplayWaitsTheDefaultUnlessAskedAndNeverBeyondTheMaximum() {
        assertEquals(Duration.ofSeconds(30), settings.verdictWait(null));
        assertEquals(Duration.ZERO, settings.verdictWait(Duration.ZERO));
        assertEquals(Duration.ofSeconds(5), settings.verdictWait(Duration.ofSeconds(5)));
        assertEquals(Duration.ofSeconds(120), settings.verdictWait(Duration.ofHours(1)));
    }
}
