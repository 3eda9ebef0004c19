package dev.streamtune.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FreshnessTimelineTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** A window whose stages took 2, 60, 5 and 1.5 s, starting {@code offset} seconds into the run. */
    private static FreshnessTimeline.Window approved(int index, long offset, double servedAfterDecision) {
        Instant produced = T0.plusSeconds(offset);
        Instant closed = produced.plusSeconds(2);
        Instant candidate = closed.plusSeconds(60);
        Instant decided = candidate.plusSeconds(5);
        return new FreshnessTimeline.Window(index, "spam-" + index, 1000, 215, 215, produced, closed, "cand-" + index,
                candidate, metrics(), decided, "APPROVED", List.of(), 0.91,
                decided.plusMillis((long) (servedAfterDecision * 1000)), 0.9);
    }

    /** As a candidate carries them: in no particular order. */
    private static Map<String, Double> metrics() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("train.seconds", 55.0);
        metrics.put("examples.per.second", 40.0);
        metrics.put("time.validation.seconds", 5.0);
        metrics.put("time.steps.seconds", 50.0);
        return metrics;
    }

    private static FreshnessTimeline.Window rejected(int index, long offset) {
        FreshnessTimeline.Window w = approved(index, offset, 0);
        return new FreshnessTimeline.Window(index, w.windowId(), 1000, 215, 215, w.lastProduced(), w.closed(),
                w.candidateId(), w.candidate(), w.candidateMetrics(), w.decided(), "REJECTED",
                List.of("FAIL quality drop 0.030 > 0.010"), 0.8, null, null);
    }

    @Test
    void eachStageIsTheTimeBetweenTheRecordsThatBoundIt() {
        FreshnessTimeline.Window w = approved(0, 0, 1.5);
        assertEquals(2.0, w.producedToClosed());
        assertEquals(60.0, w.closedToCandidate());
        assertEquals(5.0, w.candidateToDecision());
        assertEquals(1.5, w.decisionToServing());
        assertEquals(66.5, w.closedToServing());
    }

    @Test
    void theTableHasOneRowPerWindowAndDashesWhereACandidateWasNeverServed() {
        String table = new FreshnessTimeline(List.of(approved(0, 0, 1.5), rejected(1, 100))).table();
        assertEquals("""
                | window | examples train / validation / test | produced -> closed s (ingest) | closed -> candidate s \
                (trainer) | train s | examples/s | candidate -> decision s (evaluator) | candidate accuracy (test) \
                | decision | decision -> serving s | closed -> serving s | served accuracy (test) |
                |---|---|---|---|---|---|---|---|---|---|---|---|
                | 1 | 1000 / 215 / 215 | 2.0 | 60.0 | 55.0 | 40 | 5.0 | 0.910 | approved | 1.5 | 66.5 | 0.900 |
                | 2 | 1000 / 215 / 215 | 2.0 | 60.0 | 55.0 | 40 | 5.0 | 0.800 | rejected | - | - | - |
                """, table);
    }

    @Test
    void theAccuracySummaryCountsEveryCandidateServedOrNot() {
        assertEquals("Candidates' test accuracy (the evaluator's): mean 0.855 over 2 windows (0.910, 0.800).",
                new FreshnessTimeline(List.of(approved(0, 0, 1.5), rejected(1, 100))).accuracySummary());
    }

    @Test
    void rejectionsGiveTheGatesReasons() {
        assertEquals(List.of("window 2: cand-1 rejected: FAIL quality drop 0.030 > 0.010"),
                new FreshnessTimeline(List.of(approved(0, 0, 1), rejected(1, 100))).rejections());
    }

    @Test
    void theStageTableHasOneRowPerWindowFromTheCandidatesStageTimesCostliestFirst() {
        assertEquals("""
                | window | steps | validation | sum |
                |---|---|---|---|
                | 1 | 50.00 | 5.00 | 55.0 |
                """, new FreshnessTimeline(List.of(approved(0, 0, 1))).stageTable());
    }

    @Test
    void aLatencyThatRisesWithTheIndexGrows() {
        String summary = new FreshnessTimeline(List.of(approved(0, 0, 1), approved(1, 100, 21), approved(2, 200, 41)))
                .summary();
        assertTrue(summary.startsWith("Window closed -> serving: mean 86.0 s, max 106.0 s over 3 served windows; grows"),
                summary);
        assertTrue(summary.contains("slope +20.0 s per window"), summary);
    }

    @Test
    void aLatencyThatWobblesWithinTheThresholdDoesNotGrow() {
        String summary = new FreshnessTimeline(List.of(approved(0, 0, 2), approved(1, 100, 0), approved(2, 200, 3)))
                .summary();
        assertTrue(summary.contains("; does not grow with the window index"), summary);
    }

    @Test
    void rejectedWindowsAreLeftOutOfTheSummary() {
        assertEquals("Window closed -> serving: mean 67.0 s, max 67.0 s over 1 served window; one window cannot show "
                + "a trend.", new FreshnessTimeline(List.of(approved(0, 0, 2), rejected(1, 100))).summary());
        assertEquals("Window closed -> serving: no window's candidate was served.",
                new FreshnessTimeline(List.of(rejected(0, 0))).summary());
    }
}
