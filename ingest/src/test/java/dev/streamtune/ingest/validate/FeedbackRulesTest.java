package dev.streamtune.ingest.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Optional;

import dev.streamtune.contract.ReasonCode;
import dev.streamtune.ingest.InvalidRecordException;
import dev.streamtune.ingest.Tasks;
import dev.streamtune.ingest.config.IngestSettings;
import dev.streamtune.ingest.config.TaskRules;
import dev.streamtune.schema.TaskDefinition;
import org.junit.jupiter.api.Test;

class FeedbackRulesTest {

    private static final TaskDefinition SENTIMENT = Tasks.task("sentiment", "negative", "positive");
    private static final TaskDefinition TOPIC = Tasks.task("topic", "world", "sports", "business");
    private static final TaskRules BINARY = Tasks.rules(SENTIMENT);
    private static final TaskRules MULTI = Tasks.rules(TOPIC);

    /** The feedback rules are shared by every task (ingest.defaults.feedback-*). */
    private static TaskRules withRatings(TaskDefinition task, int confirmMin, int flipMax) {
        return TaskRules.of(task, IngestSettings.Defaults.builtIn().withFeedbackRatings(confirmMin, flipMax));
    }

    @Test
    void aCorrectionAlwaysTeachesItsLabel() {
        assertEquals(Optional.of("positive"), label("negative", "Positive", 1, BINARY));
        assertEquals(Optional.of("positive"), label("negative", "positive", null, BINARY));
        assertEquals(Optional.of("sports"), label(null, "sports", null, MULTI));
    }

    @Test
    void aHighRatingConfirmsThePrediction() {
        assertEquals(Optional.of("negative"), label("negative", null, 4, BINARY));
        assertEquals(Optional.of("negative"), label("negative", null, 5, BINARY));
        assertEquals(Optional.empty(), label("negative", null, 3, BINARY));
        assertEquals(Optional.empty(), label("negative", null, 5, withRatings(SENTIMENT, 0, 0)));
    }

    @Test
    void aLowRatingFlipsOnlyTwoLabelTasksAndOnlyWhenEnabled() {
        TaskRules flipping = withRatings(SENTIMENT, 4, 2);
        assertEquals(Optional.of("positive"), label("negative", null, 1, flipping));
        assertEquals(Optional.of("negative"), label("positive", null, 2, flipping));
        assertEquals(Optional.empty(), label("positive", null, 1, BINARY), "off by default");
        assertEquals(Optional.empty(), label("sports", null, 1, withRatings(TOPIC, 4, 2)));
    }

    @Test
    void nothingToLearnWithoutRatingOrPrediction() {
        assertEquals(Optional.empty(), label("negative", null, null, BINARY));
        assertEquals(Optional.empty(), label(null, null, 5, BINARY));
    }

    @Test
    void unknownLabelsAndImpossibleRatingsAreRejected() {
        assertEquals(ReasonCode.UNKNOWN_LABEL, assertThrows(InvalidRecordException.class,
                () -> label("negative", "neutral", null, BINARY)).code());
        assertEquals(ReasonCode.UNKNOWN_LABEL, assertThrows(InvalidRecordException.class,
                () -> label("neutral", null, 5, BINARY)).code());
        assertEquals(ReasonCode.INVALID_FIELD, assertThrows(InvalidRecordException.class,
                () -> label("negative", null, 9, BINARY)).code());
    }

    private static Optional<String> label(String predicted, String corrected, Integer rating, TaskRules rules) {
        return FeedbackRules.labelFor(new FeedbackFields("r", rules.task(), "v1", "text", predicted, corrected,
                rating, null, Map.of()), rules);
    }
}
