package dev.streamtune.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.streamtune.schema.TextOverflow;
import dev.streamtune.schema.TextPolicy;

class TextTruncationTest {

    private static TextPolicy policy(int maxChars, TextOverflow overflow) {
        return new TextPolicy(1, maxChars, overflow, 0);
    }

    @Test
    void textWithinTheLimitIsKeptAsItIs() {
        TextTruncation.Outcome outcome = TextTruncation.apply("short review", policy(20, TextOverflow.REJECT));
        assertEquals("short review", outcome.text());
        assertFalse(outcome.truncated());
        assertFalse(outcome.rejected());
    }

    @Test
    void headTruncationKeepsTheBeginning() {
        TextTruncation.Outcome outcome = TextTruncation.apply("abcdefghij", policy(4, TextOverflow.TRUNCATE_HEAD));
        assertEquals("abcd", outcome.text());
        assertTrue(outcome.truncated());
    }

    @Test
    void headAndTailKeepBothEndsAroundTheMarkerWithinTheLimit() {
        String text = "The start says what it is about. " + "filler ".repeat(50) + "The end says how it ended.";
        TextTruncation.Outcome outcome = TextTruncation.apply(text, policy(60, TextOverflow.TRUNCATE_HEAD_TAIL));
        assertTrue(outcome.text().startsWith("The start says"), outcome.text());
        assertTrue(outcome.text().endsWith("how it ended."), outcome.text());
        assertTrue(outcome.text().contains(TextTruncation.MARKER));
        assertTrue(outcome.text().codePointCount(0, outcome.text().length()) <= 60);
    }

    @Test
    void rejectLeavesTheTextAndSaysSo() {
        TextTruncation.Outcome outcome = TextTruncation.apply("abcdefghij", policy(4, TextOverflow.REJECT));
        assertTrue(outcome.rejected());
        assertFalse(outcome.truncated());
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String emoji = "😀😀😀😀"; // 4 code points, 8 chars
        TextTruncation.Outcome outcome = TextTruncation.apply(emoji, policy(3, TextOverflow.TRUNCATE_HEAD));
        assertEquals("😀😀😀", outcome.text());
    }
}
