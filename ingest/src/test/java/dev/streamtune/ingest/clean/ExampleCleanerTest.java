package dev.streamtune.ingest.clean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import dev.streamtune.contract.ReasonCode;
import dev.streamtune.contract.TextTruncation;
import dev.streamtune.ingest.CleanedExample;
import dev.streamtune.ingest.InvalidRecordException;
import dev.streamtune.ingest.Tasks;
import dev.streamtune.ingest.ValidExample;
import dev.streamtune.ingest.config.TaskRules;
import dev.streamtune.schema.ExampleOrigin;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.schema.TextOverflow;
import org.junit.jupiter.api.Test;

class ExampleCleanerTest {

    private static final TaskDefinition SENTIMENT = Tasks.task("sentiment", "negative", "positive");
    private static final TaskRules RULES = rules(3, 20, TextOverflow.REJECT);
    private final ExampleCleaner cleaner = new ExampleCleaner();

    @Test
    void cleansMasksAndHashesTheText() {
        CleanedExample cleaned = cleaner.clean(example("  mail\u00A0me: a@b.io "), RULES);
        assertEquals("mail me: [EMAIL]", cleaned.text());
        assertEquals(dev.streamtune.ingest.Inputs.sha256("sentiment\u0000mail me: [EMAIL]"),
                cleaned.contentHash());
        assertNull(cleaned.split(), "the split step sets it");
        assertEquals("id-1", cleaned.id());
    }

    @Test
    void theSameTextHashesDifferentlyInAnotherTask() {
        String inSentiment = cleaner.clean(example("same words"), RULES).contentHash();
        ValidExample inAnotherTask = new ValidExample("id-1", "topic", "same words", "positive", "test",
                ExampleOrigin.LABELLED, 0L, Map.of(), 1.0, null);
        String inTopic = cleaner.clean(inAnotherTask, Tasks.rules(Tasks.task("topic", "positive"))).contentHash();
        assertEquals(64, inSentiment.length());
        assertEquals(false, inSentiment.equals(inTopic));
    }

    @Test
    void lengthIsCheckedOnTheCleanedTextInCodePoints() {
        assertEquals(ReasonCode.TEXT_TOO_SHORT, assertThrows(InvalidRecordException.class,
                () -> cleaner.clean(example("  a\u200B\u200B\u200B  "), RULES)).code());
        assertEquals(ReasonCode.TEXT_TOO_LONG, assertThrows(InvalidRecordException.class,
                () -> cleaner.clean(example("x".repeat(21)), RULES)).code());
        String emoji = "\uD83D\uDE00".repeat(20); // 20 code points, 40 chars
        assertEquals(emoji, cleaner.clean(example(emoji), Tasks.rules(Tasks.withPii(Tasks.withText(SENTIMENT, 3, 20,
                TextOverflow.REJECT)))).text());
    }

    @Test
    void textOfOnlyNulAndControlCharactersIsRefusedEvenWithoutAMinimumLength() {
        TaskRules noMinimum = rules(0, 20, TextOverflow.REJECT);
        InvalidRecordException error = assertThrows(InvalidRecordException.class,
                () -> cleaner.clean(example("\u0000".repeat(50) + "\u0007\u200B"), noMinimum));
        assertEquals(ReasonCode.TEXT_TOO_SHORT, error.code());
        assertEquals(true, error.getMessage().startsWith("nothing is left of the text after cleaning"),
                error.getMessage());
    }

    @Test
    void longTextIsCutAsThePolicySaysAndFlagged() {
        CleanedExample head = cleaner.clean(example("The soup was cold and the bread was stale"),
                rules(3, 20, TextOverflow.TRUNCATE_HEAD));
        assertEquals("The soup was cold an", head.text());
        assertEquals(true, head.truncated());
        CleanedExample both = cleaner.clean(example("The soup was cold and the bread was stale"),
                rules(3, 20, TextOverflow.TRUNCATE_HEAD_TAIL));
        assertEquals("The soup was" + TextTruncation.MARKER + "stale", both.text());
        assertEquals(true, both.truncated());
        CleanedExample fits = cleaner.clean(example("x".repeat(20)), rules(3, 20, TextOverflow.TRUNCATE_HEAD));
        assertEquals(false, fits.truncated(), "exactly max-chars is not cut");
    }

    @Test
    void maskingComesBeforeTheCutSoNoFragmentOfPersonalDataSurvives() {
        // Cut first, the kept "call +44 20 79" would have too few digits to look like a phone number.
        CleanedExample cleaned = cleaner.clean(example("call +44 20 7946 0958 today"),
                rules(3, 14, TextOverflow.TRUNCATE_HEAD));
        assertEquals("call [PHONE] t", cleaned.text());
    }

    @Test
    void theHashIsOfTheWholeCleanedTextSoAChangedLimitKeepsTheSplit() {
        String text = "The soup was cold and the bread was stale";
        assertEquals(cleaner.clean(example(text), rules(3, 20, TextOverflow.TRUNCATE_HEAD)).contentHash(),
                cleaner.clean(example(text), rules(3, 30, TextOverflow.TRUNCATE_HEAD)).contentHash());
        assertEquals(dev.streamtune.ingest.Inputs.sha256("sentiment\u0000" + text),
                cleaner.clean(example(text), rules(3, 20, TextOverflow.TRUNCATE_HEAD)).contentHash());
    }

    @Test
    void tooShortIsStillRejectedWhateverTheOverflowPolicy() {
        assertEquals(ReasonCode.TEXT_TOO_SHORT, assertThrows(InvalidRecordException.class,
                () -> cleaner.clean(example("ok"), rules(3, 20, TextOverflow.TRUNCATE_HEAD))).code());
    }

    private static TaskRules rules(int minChars, int maxChars, TextOverflow overflow) {
        return Tasks.rules(Tasks.withText(SENTIMENT, minChars, maxChars, overflow));
    }

    private static ValidExample example(String text) {
        return new ValidExample("id-1", "sentiment", text, "positive", "test", ExampleOrigin.LABELLED, 0L, Map.of(),
                1.0, null);
    }
}
