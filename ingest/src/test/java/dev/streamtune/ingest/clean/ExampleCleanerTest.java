package dev.streamtune.ingest.clean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.streamtune.ingest.CleanedExample;
import dev.streamtune.ingest.InvalidRecordException;
import dev.streamtune.ingest.ReasonCode;
import dev.streamtune.ingest.ValidExample;
import dev.streamtune.ingest.config.TaskRules;
import dev.streamtune.schema.ExampleOrigin;
import org.junit.jupiter.api.Test;

class ExampleCleanerTest {

    private static final TaskRules RULES = TaskRules.defaults("sentiment", List.of("negative", "positive"))
            .withTextBounds(3, 20);
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
        String inTopic = cleaner.clean(inAnotherTask, RULES.withTask("topic")).contentHash();
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
        assertEquals(emoji, cleaner.clean(example(emoji), RULES.withPii(Set.of())).text());
    }

    @Test
    void textOfOnlyNulAndControlCharactersIsRefusedEvenWithoutAMinimumLength() {
        TaskRules noMinimum = RULES.withTextBounds(0, 20);
        InvalidRecordException error = assertThrows(InvalidRecordException.class,
                () -> cleaner.clean(example("\u0000".repeat(50) + "\u0007\u200B"), noMinimum));
        assertEquals(ReasonCode.TEXT_TOO_SHORT, error.code());
        assertEquals(true, error.getMessage().startsWith("nothing is left of the text after cleaning"),
                error.getMessage());
    }

    private static ValidExample example(String text) {
        return new ValidExample("id-1", "sentiment", text, "positive", "test", ExampleOrigin.LABELLED, 0L, Map.of(),
                1.0, null);
    }
}
