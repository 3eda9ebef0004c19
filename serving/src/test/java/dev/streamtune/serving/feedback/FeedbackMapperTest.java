package dev.streamtune.serving.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import dev.streamtune.contract.TaskCatalogue;

import dev.streamtune.schema.FeedbackEvent;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.schema.TaskState;
import dev.streamtune.serving.RequestRejectedException;
import dev.streamtune.serving.RequestRejectedException.Reason;
import dev.streamtune.serving.predict.RecentPredictions.Recent;
import dev.streamtune.serving.predict.RequestLimits;
import dev.streamtune.serving.tasks.ServedTasks;
import org.junit.jupiter.api.Test;

class FeedbackMapperTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final List<String> LABELS = List.of("negative", "positive");
    private static final Recent SERVED = new Recent("r1", "sentiment", "a7", "great service", "positive", LABELS);
    private static final TaskDefinition SENTIMENT = TaskCatalogue.newTask("sentiment", LABELS, "test", NOW);
    private static final Function<String, List<String>> CURRENT =
            new ServedTasks(() -> TaskCatalogue.of(SENTIMENT))::labels;

    private final FeedbackMapper mapper = new FeedbackMapper(new RequestLimits(8, 100, 16, 4, 32), 500);

    private static FeedbackInput input(String requestId, String corrected, Long rating) {
        return new FeedbackInput(requestId, corrected, rating, null, null, null, null, null);
    }

    private RequestRejectedException refused(Reason reason, FeedbackInput in, Optional<Recent> recent) {
        RequestRejectedException e = assertThrows(RequestRejectedException.class,
                () -> mapper.map(in, recent, CURRENT, NOW));
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }

    @Test
    void aCorrectionOfARememberedPredictionTakesEverythingElseFromIt() {
        FeedbackEvent event = mapper.map(input("r1", "negative", null), Optional.of(SERVED), CURRENT, NOW);
        assertEquals("r1", event.getRequestId());
        assertEquals("sentiment", event.getTask());
        assertEquals("a7", event.getModelVersion());
        assertEquals("great service", event.getText());
        assertEquals("positive", event.getPredictedLabel());
        assertEquals("negative", event.getCorrectedLabel());
        assertNull(event.getRating());
        assertEquals(NOW, event.getEventTime());
    }

    @Test
    void aRatingAloneIsEnough() {
        FeedbackEvent event = mapper.map(input("r1", null, 5L), Optional.of(SERVED), CURRENT, NOW);
        assertEquals(5, event.getRating());
        assertNull(event.getCorrectedLabel());
    }

    @Test
    void needsAnIdAndACorrectionOrAValidRating() {
        refused(Reason.INVALID, input(null, "negative", null), Optional.of(SERVED));
        refused(Reason.INVALID, input("r1", null, null), Optional.of(SERVED));
        refused(Reason.INVALID, input("r1", "  ", null), Optional.of(SERVED));
        assertTrue(refused(Reason.INVALID, input("r1", null, 6L), Optional.of(SERVED)).getMessage().contains("1"));
        refused(Reason.INVALID, input("r1", null, 0L), Optional.of(SERVED));
    }

    @Test
    void aCorrectionMustNameALabelOfTheTaskInTheCatalogue() {
        RequestRejectedException e = refused(Reason.INVALID, input("r1", "neutral", null), Optional.of(SERVED));
        assertTrue(e.getMessage().contains("[negative, positive]"), e.getMessage());
    }

    @Test
    void anUnknownPredictionNeedsItsText() {
        RequestRejectedException e = refused(Reason.NOT_FOUND, input("gone", "negative", null), Optional.empty());
        assertTrue(e.getMessage().contains("last 500"), e.getMessage());
    }

    @Test
    void anUnknownPredictionWithTextAndTaskIsAcceptedAndCheckedAgainstTheCurrentLabels() {
        FeedbackInput in = new FeedbackInput("gone", "negative", null, "sentiment", "slow delivery", "positive", null,
                Map.of("locale", "en"));
        FeedbackEvent event = mapper.map(in, Optional.empty(), CURRENT, NOW);
        assertEquals("slow delivery", event.getText());
        assertEquals("unknown", event.getModelVersion());
        assertEquals(Map.of("locale", "en"), event.getAttributes());

        refused(Reason.INVALID, new FeedbackInput("gone", "neutral", null, "sentiment", "x", null, null, null),
                Optional.empty());
        refused(Reason.INVALID, new FeedbackInput("gone", "negative", null, null, "x", null, null, null),
                Optional.empty());
        refused(Reason.TOO_LARGE, new FeedbackInput("gone", "negative", null, "sentiment", "x".repeat(101), null, null,
                null), Optional.empty());
    }

    @Test
    void aLabelAppendedAfterThePredictionWasServedIsAcceptedAtOnce() {
        TaskDefinition grown = TaskCatalogue.nextVersion(SENTIMENT, "alice", NOW, "added labels: neutral")
                .setLabels(List.of("negative", "positive", "neutral")).build();
        Function<String, List<String>> labels = new ServedTasks(() -> TaskCatalogue.of(SENTIMENT, grown))::labels;
        FeedbackEvent event = mapper.map(input("r1", "neutral", null), Optional.of(SERVED), labels, NOW);
        assertEquals("neutral", event.getCorrectedLabel());
        assertEquals("positive", event.getPredictedLabel());
    }

    @Test
    void feedbackOnARetiredTaskIsGone() {
        TaskDefinition retired = TaskCatalogue.nextVersion(SENTIMENT, "alice", NOW, "retired")
                .setState(TaskState.RETIRED).build();
        Function<String, List<String>> labels = new ServedTasks(() -> TaskCatalogue.of(SENTIMENT, retired))::labels;
        RequestRejectedException e = assertThrows(RequestRejectedException.class,
                () -> mapper.map(input("r1", "negative", null), Optional.of(SERVED), labels, NOW));
        assertEquals(Reason.GONE, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("retired"), e.getMessage());
    }

    @Test
    void feedbackOnATaskNotInTheCatalogueIsNotFound() {
        RequestRejectedException e = refused(Reason.NOT_FOUND, new FeedbackInput("gone", "anything", null,
                "made-up-task", "x", null, null, null), Optional.empty());
        assertTrue(e.getMessage().contains("made-up-task"), e.getMessage());
        refused(Reason.NOT_FOUND, new FeedbackInput("gone", null, 3L, "made-up-task", "x", null, null, null),
                Optional.empty());
    }

    @Test
    void aPredictedLabelSentAlongMustBeALabelOfTheTask() {
        refused(Reason.INVALID, new FeedbackInput("gone", "negative", null, "sentiment", "x", "sarcastic", null,
                null), Optional.empty());
    }

    @Test
    void idsAndLabelsWithControlCharactersAreRefused() {
        refused(Reason.MALFORMED, input("r1\nX", "negative", null), Optional.of(SERVED));
        refused(Reason.MALFORMED, new FeedbackInput("gone", "negative", null, "sentiment", "x", null, "a\u0000",
                null), Optional.empty());
        refused(Reason.MALFORMED, new FeedbackInput("r1", "negative", null, null, null, null, null,
                Map.of("bad\tkey", "v")), Optional.of(SERVED));
    }

    @Test
    void theTaskGivenMustMatchTheRememberedOne() {
        refused(Reason.INVALID, new FeedbackInput("r1", "negative", null, "topics", null, null, null, null),
                Optional.of(SERVED));
    }
}
