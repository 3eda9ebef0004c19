package dev.streamtune.evaluator.deadletters;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

class DeadLetterCountsTest {

    @Test
    void countsByReasonAndLabelPerTask() {
        DeadLetterCounts counts = new DeadLetterCounts(10);
        counts.count("t", "UNKNOWN_LABEL", "refund");
        counts.count("t", "UNKNOWN_LABEL", " refund ");
        counts.count("t", "TEXT_TOO_SHORT", null);
        counts.count("u", "UNKNOWN_LABEL", "x");
        counts.count(null, "MALFORMED", null);
        assertEquals(new DeadLetterCounts.TaskCounts("t", 3, Map.of("UNKNOWN_LABEL", 2L, "TEXT_TOO_SHORT", 1L),
                Map.of("refund", 2L, DeadLetterCounts.NO_LABEL, 1L)), counts.of("t"));
        assertEquals(0, counts.of("nobody").total());
    }

    @Test
    void labelsBeyondTheBoundAreCountedTogether() {
        DeadLetterCounts counts = new DeadLetterCounts(2);
        for (String label : new String[] {"a", "b", "c", "d", "a"}) {
            counts.count("t", "UNKNOWN_LABEL", label);
        }
        assertEquals(Map.of("a", 2L, "b", 1L, DeadLetterCounts.OTHER_LABELS, 2L), counts.of("t").byLabel());
    }
}
