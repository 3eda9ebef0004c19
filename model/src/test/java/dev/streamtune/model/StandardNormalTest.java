package dev.streamtune.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StandardNormalTest {

    @Test
    void theDistributionFunctionMatchesTablesToSixPlaces() {
        assertEquals(0.5, StandardNormal.cdf(0), 1e-7);
        assertEquals(0.8413447, StandardNormal.cdf(1), 1e-6);
        assertEquals(0.0227501, StandardNormal.cdf(-2), 1e-6);
        assertEquals(0.975, StandardNormal.cdf(1.959964), 1e-6);
    }

    @Test
    void theQuantileInvertsIt() {
        assertEquals(1.644854, StandardNormal.quantile(0.95), 1e-5);
        assertEquals(-2.326348, StandardNormal.quantile(0.01), 1e-5);
        assertThrows(IllegalArgumentException.class, () -> StandardNormal.quantile(1));
    }
}
