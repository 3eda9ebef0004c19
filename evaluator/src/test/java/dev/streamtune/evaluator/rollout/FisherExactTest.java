package dev.streamtune.evaluator.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FisherExactTest {

    @Test
    void oneEventInTheSmallerGroupIsNotEvidence() {
        // the single correction lands among the candidate's 20 of 112 answers with probability 20/112
        assertEquals(20.0 / 112, FisherExact.pValueFirstHigher(1, 20, 0, 92), 1e-12);
    }

    @Test
    void theLadyTastingTea() {
        // Fisher's own example: 3 of 4 right in each direction, one-sided p = 17/70
        assertEquals(17.0 / 70, FisherExact.pValueFirstHigher(3, 4, 1, 4), 1e-12);
    }

    @Test
    void largeCountsAgreeWithTheNormalApproximation() {
        // 60 of 200 vs 10 of 200: overwhelming
        double p = FisherExact.pValueFirstHigher(60, 200, 10, 200);
        assertEquals(0, p, 1e-9);
        // equal shares: about one half
        assertEquals(0.5, FisherExact.pValueFirstHigher(50, 1000, 50, 1000), 0.05);
    }

    @Test
    void logFactorialsAreExactEnough() {
        assertEquals(Math.log(3628800), FisherExact.logFactorial(10), 1e-12);
        assertEquals(0, FisherExact.logFactorial(1), 0);
    }
}
