package dev.streamtune.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class ReasonCodeTest {

    @Test
    void parsesReplayableCodesIgnoringCase() {
        assertEquals(Optional.of(ReasonCode.UNKNOWN_LABEL), ReasonCode.parseReplayable(" unknown_label "));
    }

    @Test
    void refusesUnknownCodesAndThoseAReplayCannotChange() {
        for (String code : new String[] {null, "", "NOPE", "MALFORMED", "MISSING_FIELD", "INVALID_FIELD",
                "TASK_RETIRED"}) {
            assertTrue(ReasonCode.parseReplayable(code).isEmpty(), code);
        }
    }

    @Test
    void choicesNameOnlyReplayableCodes() {
        String choices = ReasonCode.replayableChoices();
        assertTrue(choices.contains("UNKNOWN_LABEL") && choices.contains("TEXT_TOO_LONG"), choices);
        assertTrue(!choices.contains("MALFORMED") && !choices.contains("TASK_RETIRED"), choices);
    }
}
