package dev.streamtune.trainer.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

    @Test
    void stopsAfterPatienceEvaluationsWithoutImprovementAndRemembersTheBest() {
        EarlyStopping stopping = new EarlyStopping(2, 0.01);
        assertTrue(stopping.observe(1.0));
        assertTrue(stopping.observe(0.8));
        assertFalse(stopping.observe(0.795), "an improvement below minDelta does not count");
        assertFalse(stopping.shouldStop());
        assertFalse(stopping.observe(0.9));
        assertTrue(stopping.shouldStop());
        assertEquals(0.8, stopping.bestLoss());
        assertEquals(1, stopping.bestEvaluation());
    }

    @Test
    void anImprovementResetsThePatience() {
        EarlyStopping stopping = new EarlyStopping(2, 0.0);
        stopping.observe(1.0);
        stopping.observe(1.1);
        stopping.observe(0.5);
        stopping.observe(0.6);
        assertFalse(stopping.shouldStop());
    }
}
