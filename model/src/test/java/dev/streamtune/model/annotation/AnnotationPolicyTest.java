package dev.streamtune.model.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class AnnotationPolicyTest {

    private static void refused(String field, Executable construction) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construction);
        assertTrue(e.getMessage().startsWith(field), "message names " + field + ": " + e.getMessage());
    }

    @Test
    void theDefaultsAreValid() {
        AnnotationPolicy defaults = AnnotationPolicy.defaults();
        assertEquals(new AnnotationPolicy(0.2, 0.05, 60, 10_000), defaults);
    }

    @Test
    void eachOutOfRangeSettingIsRefusedByName() {
        refused("maxMargin", () -> new AnnotationPolicy(-0.1, 0.05, 60, 10));
        refused("maxMargin", () -> new AnnotationPolicy(Double.NaN, 0.05, 60, 10));
        refused("rareLabelShare", () -> new AnnotationPolicy(0.2, 1.5, 60, 10));
        refused("perHourBudget", () -> new AnnotationPolicy(0.2, 0.05, 0, 10));
        refused("dedupeMemory", () -> new AnnotationPolicy(0.2, 0.05, 60, 0));
    }

    @Test
    void zeroThresholdsAreAllowedAndTurnTheirReasonsOff() {
        assertEquals(0, new AnnotationPolicy(0, 0, 1, 1).maxMargin());
    }
}
