package dev.streamtune.evaluator.deadletters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class ReplayableReasonTest {

    @Test
    void parsesReasonCodesIgnoringCase() {
        assertEquals(Optional.of(ReplayableReason.UNKNOWN_LABEL), ReplayableReason.parse(" unknown_label "));
    }

    @Test
    void refusesUnknownCodesAndThoseAReplayCannotChange() {
        for (String code : new String[] {null, "", "NOPE", "MALFORMED", "MISSING_FIELD", "INVALID_FIELD",
                "TASK_RETIRED"}) {
            assertTrue(ReplayableReason.parse(code).isEmpty(), code);
        }
    }
}
