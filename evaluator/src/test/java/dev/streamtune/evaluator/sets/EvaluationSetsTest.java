package dev.streamtune.evaluator.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.ExampleOrigin;
import dev.streamtune.schema.Split;
import org.junit.jupiter.api.Test;

class EvaluationSetsTest {

    @Test
    void onlyTestSplitExamplesAreKeptPerWindow() {
        EvaluationSets sets = new EvaluationSets(10, 5, 100);
        sets.add(example("t-000000", 1, Split.TEST));
        sets.add(example("t-000000", 2, Split.TRAIN));
        sets.add(example("t-000000", 3, Split.VALIDATION));
        sets.add(example("t-000001", 4, Split.TEST));

        assertEquals(List.of("text 1"), texts(sets.test("t", List.of("t-000000"))));
        assertEquals(1, sets.testCount("t", "t-000001"));
        assertEquals(List.of(), sets.test("other-task", List.of("t-000000")));
    }

    @Test
    void retentionExcludesTheCandidatesOwnWindowsAndIsBoundedAndRepeatable() {
        EvaluationSets sets = new EvaluationSets(50, 5, 100);
        for (int i = 0; i < 300; i++) {
            sets.add(example("t-00000" + (i % 3), i, Split.TEST));
        }
        List<CleanExample> retention = sets.retention("t", List.of("t-000002"));
        assertEquals(50, retention.size());
        assertTrue(retention.stream().noneMatch(e -> e.getWindowId().equals("t-000002")));
        assertEquals(retention, sets.retention("t", List.of("t-000002")), "same history, same sample");
        long fromWindow0 = retention.stream().filter(e -> e.getWindowId().equals("t-000000")).count();
        assertTrue(fromWindow0 > 10 && fromWindow0 < 40, "roughly uniform over windows 0 and 1: " + fromWindow0);
    }

    @Test
    void canaryIsTheFirstTestExamplesAndStaysFrozen() {
        EvaluationSets sets = new EvaluationSets(10, 3, 100);
        for (int i = 0; i < 10; i++) {
            sets.add(example("t-000000", i, Split.TEST));
        }
        assertEquals(List.of("text 0", "text 1", "text 2"), texts(sets.canary("t")));
    }

    @Test
    void theOldestWindowsAreDroppedBeyondTheLimit() {
        EvaluationSets sets = new EvaluationSets(10, 3, 2);
        sets.add(example("t-000000", 0, Split.TEST));
        sets.add(example("t-000001", 1, Split.TEST));
        sets.add(example("t-000002", 2, Split.TEST));
        assertEquals(0, sets.testCount("t", "t-000000"));
        assertEquals(1, sets.testCount("t", "t-000002"));
    }

    static CleanExample example(String window, int i, Split split) {
        return CleanExample.newBuilder().setId("id-" + i).setTask("t").setText("text " + i).setLabel("pos")
                .setSource("test").setOrigin(ExampleOrigin.LABELLED).setEventTime(Instant.EPOCH)
                .setAttributes(Map.of()).setWeight(1.0).setSplit(split).setContentHash("h" + i).setWindowId(window)
                .build();
    }

    private static List<String> texts(List<CleanExample> examples) {
        return examples.stream().map(CleanExample::getText).toList();
    }
}
