package dev.streamtune.evaluator.deadletters;

import static dev.streamtune.evaluator.deadletters.DeadLetterFixture.json;
import static dev.streamtune.evaluator.deadletters.DeadLetterFixture.letter;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.streamtune.contract.ReasonCode;

class ReplayPlanTest {

    @Test
    void takesOnlyTheTasksDeadLettersWithTheReason() {
        ReplayPlan plan = new ReplayPlan("intent", ReasonCode.UNKNOWN_LABEL);
        plan.offer(letter("UNKNOWN_LABEL", "intent", "refund", json("intent", "refund", "a", "x1"), 1));
        plan.offer(letter("UNKNOWN_LABEL", "other", "refund", json("other", "refund", "b", "x2"), 2));
        plan.offer(letter("TEXT_TOO_LONG", "intent", "refund", json("intent", "refund", "c", "x3"), 3));
        plan.offer(letter("UNKNOWN_LABEL", null, null, json("intent", "refund", "d", "x4"), 4));
        plan.offer(letter("UNKNOWN_LABEL", "intent", "upgrade", json("intent", "upgrade", null, "x5"), 5));
        assertEquals(List.of("a", "examples.labelled/0/5"), plan.originals().stream().map(OriginalRecord::id).toList());
        assertEquals(Set.of("a", "examples.labelled/0/5"), plan.ids());
        assertEquals(Map.of(), plan.unreplayable());
    }

    @Test
    void countsWhatCannotGoBackByWhy() {
        ReplayPlan plan = new ReplayPlan("t", ReasonCode.TEXT_TOO_LONG);
        plan.offer(letter("TEXT_TOO_LONG", "t", "x", null, 1));
        plan.offer(letter("TEXT_TOO_LONG", "t", "x", null, 2));
        plan.offer(letter("TEXT_TOO_LONG", "t", "x", "{\"task\":".getBytes(), 3));
        assertEquals(0, plan.originals().size());
        assertEquals(Map.of("no original value", 2, "unreadable JSON value (cut to fit, or never valid)", 1),
                plan.unreplayable());
    }
}
