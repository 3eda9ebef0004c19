package dev.streamtune.bench;

import static dev.streamtune.model.annotation.AnnotationReason.DISAGREEMENT;
import static dev.streamtune.model.annotation.AnnotationReason.LOW_MARGIN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.streamtune.model.Prediction;
import dev.streamtune.model.annotation.AnnotationBudget;
import dev.streamtune.model.annotation.AnnotationPolicy;
import dev.streamtune.model.annotation.AnnotationSelector;
import dev.streamtune.model.annotation.LabelShares;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamAnnotatorTest {

    private static final List<String> LABELS = List.of("ham", "spam");
    private static final Prediction SURE_HAM = new Prediction(LABELS, new float[] {0.875f, 0.125f});
    private static final Prediction UNSURE_HAM = new Prediction(LABELS, new float[] {0.5625f, 0.4375f});
    private static final Instant NINE = Instant.parse("2026-12-01T09:00:00Z");

    private static StreamAnnotator annotator(int perHour, LabelShares shares) {
        AnnotationPolicy policy = new AnnotationPolicy(0.25, 0.05, perHour, 100);
        return new StreamAnnotator("spam", new AnnotationSelector(policy), new AnnotationBudget(policy), shares);
    }

    @Test
    void flaggedAnswersAreRequestedInArrivalOrderUntilTheHoursBudgetIsSpent() {
        StreamAnnotator.Hour hour = annotator(2, LabelShares.defaults()).annotate(List.of("a", "b", "c", "d"),
                List.of(UNSURE_HAM, SURE_HAM, UNSURE_HAM, UNSURE_HAM), null, NINE);
        assertEquals(List.of(new StreamAnnotator.Request(0, List.of(LOW_MARGIN)),
                new StreamAnnotator.Request(2, List.of(LOW_MARGIN))), hour.requests());
        assertEquals(3, hour.flagged(), "d was flagged but over budget");
    }

    @Test
    void anotherModelsLabelIsComparedWithTheSameTextsAnswer() {
        StreamAnnotator.Hour hour = annotator(10, LabelShares.defaults()).annotate(List.of("a", "b"),
                List.of(SURE_HAM, SURE_HAM), List.of("ham", "spam"), NINE);
        assertEquals(List.of(new StreamAnnotator.Request(1, List.of(DISAGREEMENT))), hour.requests());
    }

    @Test
    void everyAnswerIsRecordedInTheLabelSharesFlaggedOrNot() {
        LabelShares shares = LabelShares.defaults();
        annotator(1, shares).annotate(List.of("a", "b", "c"), List.of(UNSURE_HAM, SURE_HAM, UNSURE_HAM), null, NINE);
        assertEquals(3, shares.count());
        assertEquals(1.0, shares.share("ham"));
    }

    @Test
    void aTextRequestedInAnEarlierHourIsNotRequestedAgain() {
        StreamAnnotator annotator = annotator(10, LabelShares.defaults());
        annotator.annotate(List.of("a"), List.of(UNSURE_HAM), null, NINE);
        StreamAnnotator.Hour next = annotator.annotate(List.of("A ", "b"), List.of(UNSURE_HAM, UNSURE_HAM), null,
                NINE.plusSeconds(3600));
        assertEquals(List.of(new StreamAnnotator.Request(1, List.of(LOW_MARGIN))), next.requests());
    }

    @Test
    void rankedTheHoursBudgetGoesToTheAnswersMostWorthALabel() {
        Prediction coinFlip = new Prediction(LABELS, new float[] {0.5f, 0.5f});
        StreamAnnotator.Hour hour = annotator(2, LabelShares.defaults()).annotateRanked(List.of("a", "b", "c", "d"),
                List.of(UNSURE_HAM, SURE_HAM, coinFlip, UNSURE_HAM), List.of("ham", "ham", "ham", "spam"), NINE);
        assertEquals(List.of(new StreamAnnotator.Request(3, List.of(LOW_MARGIN, DISAGREEMENT)),
                new StreamAnnotator.Request(2, List.of(LOW_MARGIN))), hour.requests(),
                "two reasons first, then the smaller margin; a waits although it came first");
        assertEquals(3, hour.flagged());
    }
}
