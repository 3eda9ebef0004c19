package dev.streamtune.trainer.ewc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class FisherDiagonalTest {

    @Test
    void consolidationDecaysTheOldFisherAddsTheNewAndReanchors() {
        FisherDiagonal ewc = FisherDiagonal.empty();
        assertTrue(ewc.isEmpty());
        ewc.consolidate(Map.of("w", new float[] {1f, 2f}), Map.of("w", new float[] {0.5f, -0.5f}), 0.9);
        ewc.consolidate(Map.of("w", new float[] {1f, 0f}), Map.of("w", new float[] {1f, 1f}), 0.5);

        assertArrayEquals(new float[] {1.5f, 1.0f}, ewc.fisher().get("w"), 1e-6f);
        assertArrayEquals(new float[] {1f, 1f}, ewc.anchor().get("w"), 1e-6f);
    }

    @Test
    void penaltyIsHalfTheFisherWeightedSquaredDistance() {
        FisherDiagonal ewc = FisherDiagonal.of(Map.of("w", new float[] {2f, 4f}), Map.of("w", new float[] {0f, 1f}));
        // 0.5 * (2 * 1^2 + 4 * (3-1)^2) = 0.5 * (2 + 16) = 9
        assertEquals(9.0, ewc.penalty(Map.of("w", new float[] {1f, 3f})), 1e-9);
        assertEquals(0.0, ewc.penalty(Map.of("w", new float[] {0f, 1f})), 1e-9, "no penalty at the anchor");
    }

    @Test
    void parametersThatChangedShapeStartOverAndDroppedOnesAreForgotten() {
        FisherDiagonal ewc = FisherDiagonal.of(Map.of("head", new float[] {1f, 1f}, "gone", new float[] {1f}),
                Map.of("head", new float[2], "gone", new float[1]));
        ewc.consolidate(Map.of("head", new float[] {3f, 3f, 3f}), Map.of("head", new float[3]), 0.5);
        assertArrayEquals(new float[] {3f, 3f, 3f}, ewc.fisher().get("head"));
        assertEquals(1, ewc.fisher().size());
        assertThrows(IllegalArgumentException.class,
                () -> FisherDiagonal.of(Map.of("a", new float[1]), Map.of("b", new float[1])));
    }

    @Test
    void nonFiniteEstimatesCountAsZeroImportanceInsteadOfPoisoningThePenalty() {
        FisherDiagonal ewc = FisherDiagonal.empty();
        int zeroed = ewc.consolidate(Map.of("w", new float[] {Float.NaN, 2f, Float.POSITIVE_INFINITY}),
                Map.of("w", new float[3]), 0.9);
        assertEquals(2, zeroed);
        assertArrayEquals(new float[] {0f, 2f, 0f}, ewc.fisher().get("w"));
        assertEquals(1.0, ewc.penalty(Map.of("w", new float[] {5f, 1f, 5f})), 1e-9);
    }
}
