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

    private final RequestLimits limits = new RequestLimits(3, 10, 6, 2, 5);

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
    void idsAndLabelsAreShortAndFreeOfControlCharacters() {
        assertEquals("r-1", limits.identifier("requestId", "r-1"));
        assertEquals(null, limits.identifier("requestId", null));
        assertTrue(refused(Reason.TOO_LARGE, () -> limits.identifier("requestId", "1234567")).getMessage()
                .contains("\"requestId\" has 7 characters; the limit is 6"));
        assertTrue(refused(Reason.MALFORMED, () -> limits.identifier("correctedLabel", "a\nb")).getMessage()
                .contains("\"correctedLabel\""));
    }

    @Test
    void theFeedbackBodyLimitsEveryStringField() {
        for (String field : List.of("requestId", "correctedLabel", "predictedLabel", "adapterId")) {
            RequestRejectedException e = refused(Reason.TOO_LARGE, () -> limits.feedbackBody()
                    .read(("{\"" + field + "\":\"1234567\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertTrue(e.getMessage().contains("\"" + field + "\"") && e.getMessage().contains("6"), e.getMessage());
        }
        refused(Reason.TOO_LARGE, () -> limits.feedbackBody().read(("{\"text\":\"" + "x".repeat(11) + "\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        refused(Reason.TOO_LARGE, () -> limits.feedbackBody().read(("{\"task\":\"" + "x".repeat(65) + "\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        refused(Reason.TOO_LARGE, () -> limits.feedbackBody()
                .read("{\"attributes\":{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\"}}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        refused(Reason.MALFORMED, () -> limits.feedbackBody().read("{\"requestId\":42}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void taskNamesAreShortAndPlain() {
        assertEquals("sentiment-v2.en_US", RequestLimits.task("sentiment-v2.en_US"));
        refused(Reason.MALFORMED, () -> RequestLimits.task("../etc"));
        refused(Reason.MALFORMED, () -> RequestLimits.task("a".repeat(65)));
        refused(Reason.MALFORMED, () -> RequestLimits.task(""));
    }
}
