package dev.streamtune.evaluator.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.streamtune.schema.DriftReport;
import dev.streamtune.schema.PerformanceEstimate;
import org.junit.jupiter.api.Test;

/**
 * The whole report on generated windows: how often it fires on windows drawn from the reference distribution (the
 * false-alarm rate, measured) and on shifted ones (the detection rate), and what it says when it fires.
 */
class DriftDetectorTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final int SAMPLE = 60;
    private static final DriftPolicy POLICY = new DriftPolicy(0.01, 999, SAMPLE, 0, 20, 8, 30, 0.55, 0.02);
    private static final DriftDetector DETECTOR = new DriftDetector(POLICY, DriftSamples.bagOfWords());
    private static final PerformanceEstimate NO_TRAFFIC = PerformanceEstimate.newBuilder().setServedPredictions(0)
            .setJudgedByFeedback(0).build();

    private static DriftReport report(List<DriftItem> reference, List<DriftItem> current, String windowId) {
        return DETECTOR.compare(new DriftDetector.Comparison("t", "w0", windowId, reference, current, List.of(),
                List.of(), NO_TRAFFIC), T0);
    }

    @Test
    void windowsFromTheReferenceDistributionFireAtMostAtTheTargetRate() {
        SplittableRandom random = new SplittableRandom(2026);
        List<DriftItem> reference = DriftSamples.texts("r", DriftSamples.GADGETS, SAMPLE, random, Map.of());
        int windows = 150;
        int alarms = 0;
        for (int w = 0; w < windows; w++) {
            DriftReport report = report(reference,
                    DriftSamples.texts("c" + w + "-", DriftSamples.GADGETS, SAMPLE, random, Map.of()), "w" + w);
            alarms += report.getExceeded().isEmpty() ? 0 : 1;
        }
        double rate = alarms / (double) windows;
        System.out.printf("drift false-alarm rate: %d of %d null windows (%.3f, target %.2f)%n", alarms, windows,
                rate, POLICY.falseAlarmRate());
        // binomial(150, 0.01): mean 1.5; 5 or more alarms has probability 0.019 if the rate were exactly 1%
        assertTrue(alarms <= 4, "false-alarm rate " + rate + " over " + windows + " windows");
    }

    @Test
    void aTopicShiftIsDetectedWithEvidence() {
        SplittableRandom random = new SplittableRandom(7);
        List<DriftItem> reference = DriftSamples.texts("r", DriftSamples.GADGETS, SAMPLE, random, Map.of());
        int windows = 20;
        int detected = 0;
        DriftReport last = null;
        for (int w = 0; w < windows; w++) {
            // a third of the new window's texts are about food
            List<DriftItem> current = new ArrayList<>(
                    DriftSamples.texts("c" + w + "-", DriftSamples.GADGETS, 2 * SAMPLE / 3, random, Map.of()));
            current.addAll(DriftSamples.texts("f" + w + "-", DriftSamples.FOOD, SAMPLE / 3, random, Map.of()));
            last = report(reference, current, "w" + w);
            detected += last.getExceeded().isEmpty() ? 0 : 1;
        }
        System.out.printf("drift detection rate (a third of the texts on a new topic): %d of %d%n", detected,
                windows);
        assertTrue(detected >= 18, detected + " of " + windows);
        String fired = last.getExceeded().get(0);
        assertTrue(last.getEvidence().get(fired).contains("->") || last.getEvidence().get(fired).startsWith("dim "),
                last.getEvidence().toString());
        assertTrue(last.getPValues().get(fired) <= 0.01, last.getPValues().toString());
        assertTrue(last.getScores().get(fired) > last.getThresholds().get(fired), last.toString());
        assertEquals(0.01, last.getFalseAlarmRate());
        assertEquals(Map.of("reference", (long) SAMPLE, "current", (long) SAMPLE, "served", 0L,
                "reference.served", 0L), last.getSampleSizes());
    }

    @Test
    void aShiftInOneSliceIsFoundInThatSlice() {
        SplittableRandom random = new SplittableRandom(13);
        List<DriftItem> reference = new ArrayList<>(DriftSamples.texts("re", DriftSamples.GADGETS, 30, random,
                Map.of("locale", "en")));
        reference.addAll(DriftSamples.texts("rf", DriftSamples.GADGETS, 30, random, Map.of("locale", "fr")));
        List<DriftItem> current = new ArrayList<>(DriftSamples.texts("ce", DriftSamples.GADGETS, 30, random,
                Map.of("locale", "en")));
        current.addAll(DriftSamples.texts("cf", DriftSamples.FOOD, 30, random, Map.of("locale", "fr")));

        DriftReport report = report(reference, current, "w1");
        assertTrue(report.getExceeded().contains("slice.locale=fr.input.token.js"), report.getExceeded().toString());
        assertFalse(report.getExceeded().contains("slice.locale=en.input.token.js"), report.getExceeded().toString());
        assertTrue(report.getScores().containsKey("slice.locale.js"), "slice shares are tested too");
        assertFalse(report.getExceeded().contains("slice.locale.js"), "both windows are half fr");
    }

    @Test
    void servedTrafficIsTestedAgainstTheReferenceAndConfidenceFallsAreReported() {
        SplittableRandom random = new SplittableRandom(17);
        List<DriftItem> reference = DriftSamples.texts("r", DriftSamples.GADGETS, SAMPLE, random, Map.of());
        List<DriftItem> current = DriftSamples.texts("c", DriftSamples.GADGETS, SAMPLE, random, Map.of());
        List<DriftItem> servedBefore = DriftSamples.served("s", DriftSamples.GADGETS, SAMPLE, 0.92, random);
        List<DriftItem> servedNow = DriftSamples.served("t", DriftSamples.FOOD, SAMPLE, 0.70, random);
        PerformanceEstimate performance = PerformanceEstimate.newBuilder().setServedPredictions(120)
                .setEstimatedAccuracy(0.70).setJudgedByFeedback(10).setFeedbackAccuracy(0.6).build();

        DriftReport report = DETECTOR.compare(new DriftDetector.Comparison("t", "w0", "w1", reference, current,
                servedBefore, servedNow, performance), T0);
        assertTrue(report.getExceeded().contains(EmbeddingMmd.SERVED), report.getExceeded().toString());
        assertTrue(report.getExceeded().contains(ConfidenceDrop.NAME), report.getExceeded().toString());
        assertTrue(report.getEvidence().get(ConfidenceDrop.NAME).startsWith("estimated accuracy 0.9"));
        assertFalse(report.getExceeded().contains(TokenJs.NAME), "the windows' own examples did not move");
        assertEquals(performance, report.getPerformance());
    }

    @Test
    void theDomainClassifierFiresOnlyAboveItsEffectFloor() {
        SplittableRandom random = new SplittableRandom(19);
        List<DriftItem> reference = DriftSamples.texts("r", DriftSamples.GADGETS, SAMPLE, random, Map.of());
        List<DriftItem> current = DriftSamples.texts("c", DriftSamples.FOOD, SAMPLE, random, Map.of());
        DriftDetector strict = new DriftDetector(new DriftPolicy(0.01, 999, SAMPLE, 0, 20, 8, 30, 0.9999, 0.02),
                DriftSamples.bagOfWords());
        DriftReport report = strict.compare(new DriftDetector.Comparison("t", "w0", "w1", reference, current,
                List.of(), List.of(), NO_TRAFFIC), T0);
        assertTrue(report.getPValues().get(DomainClassifierAuc.NAME) <= 0.01, "significant");
        assertFalse(report.getExceeded().contains(DomainClassifierAuc.NAME), "but below the floor of 0.9999");
        assertEquals(0.9999, report.getThresholds().get(DomainClassifierAuc.NAME));
    }
}
