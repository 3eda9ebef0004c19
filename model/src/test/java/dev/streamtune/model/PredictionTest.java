package dev.streamtune.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class PredictionTest {

    @Test
    void eachLabelsProbabilityComesInHeadOrder() {
        Prediction p = new Prediction(List.of("spam", "ham", "other"), new float[] {0.25f, 0.5f, 0.25f});
        assertEquals(List.of("spam", "ham", "other"), List.copyOf(p.byLabel().keySet()));
        assertEquals(0.5, p.byLabel().get("ham"));
        assertEquals("ham", p.label());
    }
}
