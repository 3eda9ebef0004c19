package dev.streamtune.serving.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import dev.streamtune.serving.RequestRejectedException;
import dev.streamtune.serving.RequestRejectedException.Reason;
import org.junit.jupiter.api.Test;

class RequestLimitsTest {

    private final RequestLimits limits = new RequestLimits(3, 10);

    private static RequestRejectedException refused(Reason reason, Runnable call) {
        RequestRejectedException e = assertThrows(RequestRejectedException.class, call::run);
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }

    @Test
    void acceptsOneTextOrABatch() {
        assertEquals(List.of("hello"), limits.texts("hello", null));
        assertEquals(List.of("a", "b", "c"), limits.texts(null, List.of("a", "b", "c")));
    }

    @Test
    void needsExactlyOneOfTextAndTexts() {
        assertTrue(refused(Reason.INVALID, () -> limits.texts(null, null)).getMessage().contains("\"text\""));
        assertTrue(refused(Reason.INVALID, () -> limits.texts("a", List.of("b"))).getMessage().contains("not both"));
        refused(Reason.INVALID, () -> limits.texts(null, List.of()));
    }

    @Test
    void refusesBlankNullAndTooLongTextsNamingWhichOne() {
        assertTrue(refused(Reason.INVALID, () -> limits.texts(null, List.of("ok", "  "))).getMessage()
                .contains("texts[1]"));
        refused(Reason.INVALID, () -> limits.texts(null, Arrays.asList("ok", null)));
        RequestRejectedException tooLong = refused(Reason.TOO_LARGE, () -> limits.texts("x".repeat(11), null));
        assertTrue(tooLong.getMessage().contains("11 characters") && tooLong.getMessage().contains("10"),
                tooLong.getMessage());
    }

    @Test
    void refusesTooManyTexts() {
        RequestRejectedException e = refused(Reason.TOO_LARGE,
                () -> limits.texts(null, Collections.nCopies(4, "a")));
        assertTrue(e.getMessage().contains("at most 3"), e.getMessage());
    }

    @Test
    void taskNamesAreShortAndPlain() {
        assertEquals("sentiment-v2.en_US", RequestLimits.task("sentiment-v2.en_US"));
        refused(Reason.MALFORMED, () -> RequestLimits.task("../etc"));
        refused(Reason.MALFORMED, () -> RequestLimits.task("a".repeat(65)));
        refused(Reason.MALFORMED, () -> RequestLimits.task(""));
    }
}
