package dev.streamtune.evaluator.deadletters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.schema.OpenLabelPolicy;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.schema.TaskState;
import org.junit.jupiter.api.Test;

class OpenLabelTallyTest {

    private final OpenLabelTally tally = new OpenLabelTally(100, 50);

    @Test
    void aLabelIsAddedOnceItHasMinExamplesDistinctExamples() {
        TaskDefinition task = open(List.of("billing"), 3, 10);
        count("refund", "a", task);
        count("refund", "b", task);
        count("refund", "b", task); // the same example dead-lettered again after a replay
        assertEquals(List.of(), tally.decide(task).add());
        count("refund", "c", task);
        assertEquals(List.of("refund"), tally.decide(task).add());
    }

    @Test
    void labelsMatchIgnoringCaseAndBlanksAndKeepTheFirstSpelling() {
        TaskDefinition task = open(List.of("billing"), 2, 10);
        count(" Refund ", "a", task);
        count("REFUND", "b", task);
        assertEquals(List.of("Refund"), tally.decide(task).add());
        assertEquals(OpenLabelTally.Counted.LABEL_NOW_KNOWN, count("BILLING", "c", task));
    }

    @Test
    void theCapLetsInTheFirstSeenLabelsAndKeepsTheRestOut() {
        TaskDefinition task = open(List.of("a", "b"), 1, 4);
        count("c", "1", task);
        count("d", "2", task);
        count("e", "3", task);
        OpenLabelTally.Decision decision = tally.decide(task);
        assertEquals(List.of("c", "d"), decision.add());
        assertEquals(List.of("e"), decision.overCap());
    }

    @Test
    void aFullTaskAddsNothing() {
        TaskDefinition task = open(List.of("a", "b"), 1, 2);
        count("c", "1", task);
        assertEquals(new OpenLabelTally.Decision(List.of(), List.of("c")), tally.decide(task));
    }

    @Test
    void tasksWithoutOpenLabelsOrRetiredAddNothing() {
        TaskDefinition closed = TaskCatalogue.newTask("t", List.of("a"), "test", Instant.EPOCH);
        count("c", "1", closed);
        assertEquals(List.of(), tally.decide(closed).add());
        TaskDefinition retired = TaskDefinition.newBuilder(open(List.of("a"), 1, 5)).setState(TaskState.RETIRED)
                .build();
        assertEquals(List.of(), tally.decide(retired).add());
    }

    @Test
    void anAddedLabelIsNoLongerWaitingAndItsLateExamplesNeedAReplay() {
        TaskDefinition before = open(List.of("a"), 1, 5);
        count("b", "1", before);
        TaskDefinition after = TaskDefinition.newBuilder(before).setVersion(2).setLabels(List.of("a", "b")).build();
        assertEquals(List.of(), tally.decide(after).add());
        count("c", "3", before);
        tally.settle(after);
        assertEquals(Map.of("c", 1), tally.waiting("t"));
        assertEquals(OpenLabelTally.Counted.LABEL_NOW_KNOWN, count("b", "2", after));
        assertEquals(Map.of("c", 1), tally.waiting("t"));
    }

    @Test
    void otherReasonsAndUnreadableLettersAreIgnored() {
        TaskDefinition task = open(List.of("a"), 1, 5);
        assertEquals(OpenLabelTally.Counted.IGNORED, tally.count("TEXT_TOO_LONG", "t", "b", "1", task));
        assertEquals(OpenLabelTally.Counted.IGNORED, tally.count("UNKNOWN_LABEL", null, "b", "1", task));
        assertEquals(OpenLabelTally.Counted.IGNORED, tally.count("UNKNOWN_LABEL", "t", null, "1", task));
        assertEquals(OpenLabelTally.Counted.IGNORED, tally.count("UNKNOWN_LABEL", "t", "b", null, task));
        assertEquals(List.of(), tally.decide(task).add());
    }

    @Test
    void memoryIsBoundedPerLabelAndPerTask() {
        OpenLabelTally small = new OpenLabelTally(2, 2);
        TaskDefinition task = open(List.of("a"), 5, 10);
        for (int i = 0; i < 10; i++) {
            small.count("UNKNOWN_LABEL", "t", "b", "id" + i, task);
        }
        assertEquals(Map.of("b", 2), small.waiting("t"));
        assertEquals(List.of("b"), small.decide(task).add()); // min examples above the bound: the bound decides
        small.count("UNKNOWN_LABEL", "t", "c", "x", task);
        assertEquals(OpenLabelTally.Counted.IGNORED, small.count("UNKNOWN_LABEL", "t", "d", "y", task));
        assertEquals(1, small.ignoredLabels());
        assertThrows(IllegalArgumentException.class, () -> new OpenLabelTally(0, 1));
    }

    @Test
    void labelsAreCountedBeforeTheTaskIsDefined() {
        count("b", "1", null);
        assertEquals(List.of("b"), tally.decide(open(List.of("a"), 1, 5)).add());
    }

    private OpenLabelTally.Counted count(String label, String id, TaskDefinition definition) {
        return tally.count("UNKNOWN_LABEL", "t", label, id, definition);
    }

    static TaskDefinition open(List<String> labels, int minExamples, int maxLabels) {
        return TaskDefinition.newBuilder(TaskCatalogue.newTask("t", labels, "test", Instant.EPOCH))
                .setOpenLabels(new OpenLabelPolicy(minExamples, maxLabels)).build();
    }
}
