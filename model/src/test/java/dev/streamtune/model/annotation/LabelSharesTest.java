package dev.streamtune.model.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LabelSharesTest {

    @Test
    void aShareIsTheLabelsCountOverThePredictionsSeen() {
        LabelShares shares = new LabelShares(10, 1);
        shares.record("a");
        shares.record("a");
        shares.record("a");
        shares.record("b");
        assertEquals(0.75, shares.share("a"));
        assertEquals(0.25, shares.share("b"));
        assertEquals(4, shares.count());
    }

    @Test
    void aLabelNeverSeenHasShareZeroAndSoDoesAnyLabelBeforeTheFirstPrediction() {
        LabelShares shares = new LabelShares(10, 1);
        assertEquals(0, shares.share("a"));
        shares.record("a");
        assertEquals(0, shares.share("never"));
    }

    @Test
    void onlyTheLastWindowOfPredictionsCounts() {
        LabelShares shares = new LabelShares(4, 1);
        shares.record("old");
        for (int i = 0; i < 4; i++) {
            shares.record("new");
        }
        assertEquals(0, shares.share("old"), "pushed out of the window");
        assertEquals(1, shares.share("new"));
        assertEquals(4, shares.count());
    }

    @Test
    void theMinimumCountIsReachedAtExactlyThatManyPredictions() {
        LabelShares shares = new LabelShares(100, 3);
        shares.record("a");
        shares.record("a");
        assertFalse(shares.hasMinimumCount());
        shares.record("a");
        assertTrue(shares.hasMinimumCount());
    }

    @Test
    void aMinimumCountOutsideOneToTheWindowIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LabelShares(10, 0));
        assertThrows(IllegalArgumentException.class, () -> new LabelShares(10, 11));
        assertThrows(IllegalArgumentException.class, () -> new LabelShares(0, 1));
    }
}
