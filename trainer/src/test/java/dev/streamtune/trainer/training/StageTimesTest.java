package dev.streamtune.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StageTimesTest {

    @Test
    void aStageThatRunsTwiceAddsUpAndStagesKeepTheOrderTheyFirstRan() {
        StageTimes stages = new StageTimes();
        stages.add("steps", 2_000_000_000L);
        stages.add("validation", 500_000_000L);
        stages.add("steps", 1_000_000_000L);

        assertEquals(3.0, stages.seconds("steps"), 1e-12);
        assertEquals(3.5, stages.totalSeconds(), 1e-12);
        assertEquals(List.of("time.steps.seconds", "time.validation.seconds"), List.copyOf(stages.metrics().keySet()));
        assertEquals("3.5 s: steps 3.00, validation 0.50", stages.summary());
    }

    @Test
    void anotherRunsStagesAreAddedToThisOnes() {
        StageTimes round = new StageTimes();
        round.add("start", 100_000_000L);
        StageTimes training = new StageTimes();
        training.add("steps", 1_000_000_000L);
        training.add("start", 100_000_000L);
        round.addAll(training);
        assertEquals(0.2, round.seconds("start"), 1e-12);
        assertEquals(1.0, round.seconds("steps"), 1e-12);
        assertEquals(0, round.seconds("never"), 1e-12);
    }

    @Test
    void timedWorkIsCountedEvenWhenItFails() {
        StageTimes stages = new StageTimes();
        assertEquals("done", stages.timed("plan", () -> "done"));
        assertThrows(IllegalStateException.class, () -> stages.time("after.replay", () -> {
            throw new IllegalStateException("boom");
        }));
        assertTrue(stages.metrics().containsKey("time.after.replay.seconds"));
        assertTrue(stages.seconds("plan") >= 0);
    }

    @Test
    void theStageTimesAreReadBackFromACandidatesMetricsAndNothingElse() {
        StageTimes stages = new StageTimes();
        stages.add("steps", 6_000_000_000L);
        stages.add("before.lwf", 1_500_000_000L);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("train.seconds", 9.0);
        metrics.putAll(stages.metrics());
        metrics.put("validation.accuracy", 0.9);
        metrics.put("time..seconds", 1.0);
        assertEquals(Map.of("steps", 6.0, "before.lwf", 1.5), StageTimes.secondsByStage(metrics));
    }

    @Test
    void aNegativeDurationCountsAsZero() {
        StageTimes stages = new StageTimes();
        stages.add("checkpoints", -5);
        assertEquals(0, stages.seconds("checkpoints"), 1e-12);
    }
}
