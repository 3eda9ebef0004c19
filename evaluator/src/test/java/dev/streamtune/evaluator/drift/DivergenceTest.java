package dev.streamtune.evaluator.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class DivergenceTest {

    private static final double EPS = 1e-9;

    @Test
    void psiMatchesHandComputation() {
        // (0.9-0.5) ln(1.8) + (0.1-0.5) ln(0.2)
        double expected = 0.4 * Math.log(1.8) + -0.4 * Math.log(0.2);
        assertEquals(expected, Divergence.populationStabilityIndex(Map.of("a", 50L, "b", 50L),
                Map.of("a", 90L, "b", 10L)), EPS);
        assertEquals(0.0, Divergence.populationStabilityIndex(Map.of("a", 5L, "b", 7L), Map.of("a", 10L, "b", 14L)),
                EPS, "same proportions, different totals");
    }

    @Test
    void psiSmoothsEmptyBucketsInsteadOfDividingByZero() {
        double psi = Divergence.populationStabilityIndex(Map.of("a", 10L), Map.of("b", 10L));
        assertTrue(Double.isFinite(psi) && psi > 10, "disjoint histograms give a huge but finite PSI: " + psi);
    }

    @Test
    void jensenShannonDistanceMatchesHandComputation() {
        // p = (.5,.5), q = (1,0), m = (.75,.25): JSD = 0.5 KL(p||m) + 0.5 KL(q||m) in bits
        double klP = 0.5 * log2(0.5 / 0.75) + 0.5 * log2(0.5 / 0.25);
        double klQ = log2(1 / 0.75);
        assertEquals(Math.sqrt(0.5 * klP + 0.5 * klQ),
                Divergence.jensenShannonDistance(Map.of("a", 1L, "b", 1L), Map.of("a", 3L)), EPS);
        assertEquals(1.0, Divergence.jensenShannonDistance(Map.of("a", 1L), Map.of("b", 1L)), EPS);
        assertEquals(0.0, Divergence.jensenShannonDistance(Map.of("a", 2L, "b", 1L), Map.of("a", 4L, "b", 2L)), EPS);
    }

    @Test
    void jensenShannonIsSymmetric() {
        Map<String, Long> p = Map.of("a", 3L, "b", 1L, "c", 6L);
        Map<String, Long> q = Map.of("a", 1L, "c", 2L, "d", 9L);
        assertEquals(Divergence.jensenShannonDistance(p, q), Divergence.jensenShannonDistance(q, p), EPS);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
