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
    void aGrownHeadKeepsItsOldImportanceAndItsNewRowsStartWithNone() {
        // head: 2 labels x hidden 2, grown to 3 labels; lora did not grow
        FisherDiagonal ewc = FisherDiagonal.of(
                Map.of("classifier.weight", new float[] {1f, 2f, 3f, 4f}, "lora", new float[] {5f}),
                Map.of("classifier.weight", new float[] {0.1f, 0.2f, 0.3f, 0.4f}, "lora", new float[] {0.5f}));
        FisherDiagonal grown = ewc.grownTo(Map.of(
                "classifier.weight", new float[] {9f, 9f, 9f, 9f, 0.7f, 0.8f}, "lora", new float[] {9f}));

        assertArrayEquals(new float[] {1f, 2f, 3f, 4f, 0f, 0f}, grown.fisher().get("classifier.weight"));
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.7f, 0.8f}, grown.anchor().get("classifier.weight"),
                "old anchor kept; new rows anchored where they start");
        assertArrayEquals(new float[] {5f}, grown.fisher().get("lora"));
        assertArrayEquals(new float[] {0.5f}, grown.anchor().get("lora"));
        assertArrayEquals(new float[] {1f, 2f, 3f, 4f}, ewc.fisher().get("classifier.weight"), "the original is kept");
        // the penalty at the new start: only the old rows' distance from their anchor counts
        assertEquals(ewc.penalty(Map.of("classifier.weight", new float[] {9f, 9f, 9f, 9f}, "lora", new float[] {9f})),
                grown.penalty(Map.of("classifier.weight", new float[] {9f, 9f, 9f, 9f, 5f, 5f},
                        "lora", new float[] {9f})), 1e-9);

        // the next consolidation folds into the grown vector instead of starting the head over
        grown.consolidate(Map.of("classifier.weight", new float[] {1f, 1f, 1f, 1f, 1f, 1f}, "lora", new float[] {1f}),
                Map.of("classifier.weight", new float[6], "lora", new float[1]), 0.5);
        assertArrayEquals(new float[] {1.5f, 2f, 2.5f, 3f, 1f, 1f}, grown.fisher().get("classifier.weight"), 1e-6f);
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
