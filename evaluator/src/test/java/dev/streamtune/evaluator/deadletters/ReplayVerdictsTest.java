package dev.streamtune.evaluator.deadletters;

import static dev.streamtune.evaluator.deadletters.DeadLetterFixture.json;
import static dev.streamtune.evaluator.deadletters.DeadLetterFixture.letter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.ExampleOrigin;
import dev.streamtune.schema.Split;
import org.junit.jupiter.api.Test;

class ReplayVerdictsTest {

    @Test
    void acceptedRejectedAgainAndPendingAreCountedOncePerReplayedId() {
        ReplayVerdicts verdicts = new ReplayVerdicts("intent", Set.of("a", "b", "c", "d"));
        verdicts.clean(clean("intent", "a"));
        verdicts.clean(clean("intent", "a")); // counted once
        verdicts.clean(clean("other", "b")); // another task's example with the same id
        verdicts.clean(clean("intent", "z")); // not replayed
        verdicts.rejected(letter("UNKNOWN_LABEL", "intent", "x", json("intent", "x", "b", "t"), 100));
        verdicts.rejected(letter("TEXT_TOO_SHORT", "intent", "x", json("intent", "x", "c", "t"), 101));
        assertEquals(1, verdicts.accepted());
        assertEquals(Map.of("UNKNOWN_LABEL", 1, "TEXT_TOO_SHORT", 1), verdicts.rejectedAgain());
        assertEquals(1, verdicts.pending());
        assertFalse(verdicts.complete());
        verdicts.clean(clean("intent", "d"));
        assertTrue(verdicts.complete());
    }

    @Test
    void aReplayedRecordWithoutAnIdIsMatchedByTheIdWrittenIntoIt() throws Exception {
        OriginalRecord replayed = OriginalRecord.of(letter("UNKNOWN_LABEL", "t", "x", json("t", "x", null, "abc"), 4));
        ReplayVerdicts verdicts = new ReplayVerdicts("t", Set.of(replayed.id()));
        // ingest reads it at a new offset, but the value now names the id
        verdicts.rejected(letter("UNKNOWN_LABEL", "t", "x", replayed.value(), 900));
        assertEquals(Map.of("UNKNOWN_LABEL", 1), verdicts.rejectedAgain());
    }

    static CleanExample clean(String task, String id) {
        return CleanExample.newBuilder().setId(id).setTask(task).setText("text").setLabel("x").setSource("s")
                .setOrigin(ExampleOrigin.LABELLED).setEventTime(Instant.EPOCH).setAttributes(Map.of()).setWeight(1.0)
                .setSplit(Split.TRAIN).setContentHash("h").setWindowId("w").setTruncated(false).build();
    }
}
