package dev.streamtune.trainer.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class TreeParzenEstimatorTest {

    private static final List<Double> WEIGHT_DECAYS = List.of(0.0, 0.01, 0.1);
    private static final List<TreeParzenEstimator.Dimension> SPACE = List.of(
            new TreeParzenEstimator.LogUniform("learningRate", 1e-4, 2e-3),
            new TreeParzenEstimator.Categorical("weightDecay", WEIGHT_DECAYS));
    private static final TreeParzenEstimator.Settings SETTINGS = new TreeParzenEstimator.Settings(5, 0.25, 24, 1.0);
    private static final int EVALUATIONS = 20;

    /**
     * Shaped like a fine-tuning run's validation loss: a valley in log learning rate around 7e-4 (too small does
     * not learn, too large overshoots, steeper on that side), the middle weight decay best, plus noise from the
     * run's own seed.
     */
    private static double loss(Map<String, Double> point, Random noise) {
        double x = Math.log10(point.get("learningRate") / 7e-4);
        double valley = x < 0 ? 0.6 * x * x : 1.5 * x * x;
        double decay = switch (WEIGHT_DECAYS.indexOf(point.get("weightDecay"))) {
            case 0 -> 0.04;
            case 1 -> 0.0;
            default -> 0.10;
        };
        return 0.25 + valley + decay + 0.01 * noise.nextGaussian();
    }

    private static double bestOfTpe(long seed) {
        TreeParzenEstimator tpe = new TreeParzenEstimator(SPACE, SETTINGS, seed);
        Random noise = new Random(seed + 1000);
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < EVALUATIONS; i++) {
            Map<String, Double> point = tpe.ask();
            double loss = loss(point, noise);
            tpe.tell(point, loss);
            best = Math.min(best, loss);
        }
        return best;
    }

    private static double bestOfRandom(long seed) {
        Random random = new Random(seed);
        Random noise = new Random(seed + 1000);
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < EVALUATIONS; i++) {
            double lr = Math.exp(Math.log(1e-4) + random.nextDouble() * (Math.log(2e-3) - Math.log(1e-4)));
            double wd = WEIGHT_DECAYS.get(random.nextInt(WEIGHT_DECAYS.size()));
            best = Math.min(best, loss(Map.of("learningRate", lr, "weightDecay", wd), noise));
        }
        return best;
    }

    @Test
    void findsALowerLossThanRandomSamplingWithTheSameEvaluationsOnAverage() {
        double tpe = 0;
        double random = 0;
        int tpeWins = 0;
        for (long seed = 1; seed <= 20; seed++) {
            double t = bestOfTpe(seed);
            double r = bestOfRandom(seed);
            tpe += t / 20;
            random += r / 20;
            tpeWins += t < r ? 1 : 0;
        }
        System.out.printf("TPE mean best %.4f, random %.4f, TPE lower on %d of 20 seeds%n", tpe, random, tpeWins);
        // The floor is 0.25: compare the excess over it, which is what a search can remove.
        assertTrue(tpe - 0.25 < 0.8 * (random - 0.25),
                "TPE " + tpe + " should beat random " + random + " by a clear margin");
        assertTrue(tpeWins >= 12, "TPE lower on only " + tpeWins + " of 20 seeds");
    }

    @Test
    void theSameSeedAndLossesGiveTheSameProposals() {
        assertEquals(proposals(7), proposals(7));
        assertNotEquals(proposals(7), proposals(8));
    }

    private static List<Map<String, Double>> proposals(long seed) {
        TreeParzenEstimator tpe = new TreeParzenEstimator(SPACE, SETTINGS, seed);
        Random noise = new Random(0);
        List<Map<String, Double>> points = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Map<String, Double> point = tpe.ask();
            points.add(point);
            tpe.tell(point, loss(point, noise));
        }
        return points;
    }

    @Test
    void everyProposalLiesInTheSpace() {
        TreeParzenEstimator tpe = new TreeParzenEstimator(SPACE, SETTINGS, 3);
        Random noise = new Random(3);
        for (int i = 0; i < 40; i++) {
            Map<String, Double> point = tpe.ask();
            double lr = point.get("learningRate");
            assertTrue(lr >= 1e-4 && lr <= 2e-3, "learning rate " + lr);
            assertTrue(WEIGHT_DECAYS.contains(point.get("weightDecay")), point.toString());
            tpe.tell(point, loss(point, noise));
        }
    }

    @Test
    void afterTheStartUpTrialsProposalsFollowTheGoodTrials() {
        // Ten trials: the low learning rate with weight decay 0.1 was good, everything else bad.
        TreeParzenEstimator tpe = new TreeParzenEstimator(SPACE, new TreeParzenEstimator.Settings(10, 0.2, 24, 1.0),
                11);
        for (int i = 0; i < 10; i++) {
            boolean good = i % 5 == 0;
            tpe.tell(Map.of("learningRate", good ? 1.2e-4 : 1.5e-3, "weightDecay", good ? 0.1 : 0.0),
                    good ? 0.1 : 1.0);
        }
        Map<String, Double> next = tpe.ask();
        assertEquals(0.1, next.get("weightDecay"));
        assertTrue(next.get("learningRate") < 4e-4, next.toString());
    }

    @Test
    void aDivergedTrialCountsAsTheWorst() {
        TreeParzenEstimator.Observation diverged = new TreeParzenEstimator.Observation(
                Map.of("learningRate", 1e-3, "weightDecay", 0.0), Double.NaN);
        assertEquals(Double.POSITIVE_INFINITY, diverged.loss());
    }

    @Test
    void theStartUpTrialsAreDrawnFromThePriorOnly() {
        // Losses told so far do not matter before the start-up trials are done: the same draws either way.
        TreeParzenEstimator a = new TreeParzenEstimator(SPACE, SETTINGS, 5);
        TreeParzenEstimator b = new TreeParzenEstimator(SPACE, SETTINGS, 5);
        for (int i = 0; i < SETTINGS.startupTrials(); i++) {
            Map<String, Double> pa = a.ask();
            Map<String, Double> pb = b.ask();
            assertEquals(pa, pb);
            a.tell(pa, i);
            b.tell(pb, -i);
        }
        assertNotEquals(a.ask(), b.ask());
    }
}
