package dev.streamtune.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AccuracyMatrixTest {

    @Test
    void averageForgettingAndBackwardTransferFollowTheirDefinitions() {
        AccuracyMatrix m = new AccuracyMatrix(3);
        m.set(0, 0, 0.9);
        m.set(1, 0, 0.6);
        m.set(1, 1, 0.8);
        m.set(2, 0, 0.3);
        m.set(2, 1, 0.4);
        m.set(2, 2, 0.7);
        assertEquals((0.3 + 0.4 + 0.7) / 3, m.averageAccuracy(), 1e-12);
        // window 1: best 0.9 before the end, 0.3 at the end; window 2: best 0.8, 0.4 at the end
        assertEquals(((0.9 - 0.3) + (0.8 - 0.4)) / 2, m.forgetting(), 1e-12);
        assertEquals(((0.3 - 0.9) + (0.4 - 0.8)) / 2, m.backwardTransfer(), 1e-12);
    }

    @Test
    void forgettingUsesTheBestEarlierAccuracyNotTheFirst() {
        AccuracyMatrix m = new AccuracyMatrix(3);
        m.set(0, 0, 0.5);
        m.set(1, 0, 0.8);
        m.set(1, 1, 0.9);
        m.set(2, 0, 0.7);
        m.set(2, 1, 0.9);
        m.set(2, 2, 0.9);
        assertEquals(((0.8 - 0.7) + 0.0) / 2, m.forgetting(), 1e-12);
        assertEquals(((0.7 - 0.5) + 0.0) / 2, m.backwardTransfer(), 1e-12);
    }

    @Test
    void oneWindowHasNothingToForget() {
        AccuracyMatrix m = new AccuracyMatrix(1);
        m.set(0, 0, 0.75);
        assertEquals(0.75, m.averageAccuracy());
        assertEquals(0.0, m.forgetting());
        assertEquals(0.0, m.backwardTransfer());
    }

    @Test
    void aWindowNotYetSeenHasNoAccuracy() {
        assertThrows(IllegalArgumentException.class, () -> new AccuracyMatrix(2).set(0, 1, 0.5));
    }
}
