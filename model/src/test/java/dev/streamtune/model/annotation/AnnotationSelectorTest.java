package dev.streamtune.model.annotation;

import static dev.streamtune.model.annotation.AnnotationReason.DISAGREEMENT;
import static dev.streamtune.model.annotation.AnnotationReason.DRIFTED_SLICE;
import static dev.streamtune.model.annotation.AnnotationReason.LOW_MARGIN;
import static dev.streamtune.model.annotation.AnnotationReason.RARE_LABEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamtune.model.annotation.AnnotationSelector.Selection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AnnotationSelectorTest {

    // 0.25 and the probabilities below are exact in binary, so "at the threshold" really is at it
    private static final AnnotationSelector SELECTOR = new AnnotationSelector(new AnnotationPolicy(0.25, 0.1, 60, 100));
    private static final Map<String, Double> CONFIDENT = Map.of("ham", 0.875, "spam", 0.125);
    private static final Map<String, Double> UNSURE = Map.of("ham", 0.5625, "spam", 0.4375);

    /** Shares over {@code n} predictions, all of them "ham". */
    private static LabelShares hamOnly(int n) {
        LabelShares shares = new LabelShares(1000, 50);
        for (int i = 0; i < n; i++) {
            shares.record("ham");
        }
        return shares;
    }

    private static List<AnnotationReason> reasons(Map<String, Double> probabilities, String predicted, String other,
                                                  Map<String, String> attributes, Set<String> drifted,
                                                  LabelShares shares) {
        return SELECTOR.reasons(probabilities, predicted, other, attributes, drifted, shares);
    }

    @Test
    void aConfidentAnswerWithNoOtherSignalIsNotWorthALabel() {
        Selection selection = SELECTOR.select(CONFIDENT, "ham", null, Map.of(), Set.of(), hamOnly(100));
        assertEquals(List.of(), selection.reasons());
        assertFalse(selection.worthLabel());
        assertEquals(0.75, selection.margin());
    }

    @Test
    void aMarginBelowTheThresholdIsLowMargin() {
        assertEquals(List.of(LOW_MARGIN), reasons(UNSURE, "ham", null, Map.of(), Set.of(), hamOnly(100)));
    }

    @Test
    void aMarginExactlyAtTheThresholdIsNotLowMargin() {
        Map<String, Double> atThreshold = Map.of("ham", 0.625, "spam", 0.375);
        assertEquals(List.of(), reasons(atThreshold, "ham", null, Map.of(), Set.of(), hamOnly(100)));
    }

    @Test
    void theMarginIsBetweenTheTwoMostProbableLabelsWhateverTheirOrder() {
        Map<String, Double> three = Map.of("a", 0.25, "b", 0.0625, "c", 0.6875);
        assertEquals(0.4375, SELECTOR.select(three, "c", null, Map.of(), Set.of(), hamOnly(0)).margin());
    }

    @Test
    void anotherModelDisagreesOnlyWhenItsLabelDiffers() {
        assertEquals(List.of(DISAGREEMENT), reasons(CONFIDENT, "ham", "spam", Map.of(), Set.of(), hamOnly(100)));
        assertEquals(List.of(), reasons(CONFIDENT, "ham", "ham", Map.of(), Set.of(), hamOnly(100)));
        assertEquals(List.of(), reasons(CONFIDENT, "ham", null, Map.of(), Set.of(), hamOnly(100)),
                "no other model answered");
    }

    @Test
    void anAttributeInADriftedSliceMatchesAsKeyEqualsValue() {
        Set<String> drifted = Set.of("locale=en-GB");
        assertEquals(List.of(DRIFTED_SLICE), reasons(CONFIDENT, "ham", null,
                Map.of("channel", "mobile", "locale", "en-GB"), drifted, hamOnly(100)));
        assertEquals(List.of(), reasons(CONFIDENT, "ham", null, Map.of("locale", "en-US"), drifted, hamOnly(100)),
                "same key, other value");
        assertEquals(List.of(), reasons(CONFIDENT, "ham", null, Map.of("region", "en-GB"), drifted, hamOnly(100)),
                "same value, other key");
    }

    @Test
    void aRareLabelIsFlaggedOnlyOnceTheMinimumCountHasBeenSeen() {
        LabelShares shares = hamOnly(49);
        assertEquals(List.of(), reasons(CONFIDENT, "spam", null, Map.of(), Set.of(), shares),
                "49 predictions: too few to call anything rare");
        shares.record("ham");
        assertEquals(List.of(RARE_LABEL), reasons(CONFIDENT, "spam", null, Map.of(), Set.of(), shares));
        assertEquals(List.of(), reasons(CONFIDENT, "ham", null, Map.of(), Set.of(), shares), "ham is all of them");
    }

    @Test
    void aLabelAtTheRareShareIsNotRare() {
        LabelShares shares = new LabelShares(100, 50);
        for (int i = 0; i < 100; i++) {
            shares.record(i < 10 ? "spam" : "ham"); // spam: exactly the policy's 0.1
        }
        assertEquals(List.of(), reasons(CONFIDENT, "spam", null, Map.of(), Set.of(), shares));
    }

    @Test
    void reasonsComeInDeclaredOrder() {
        List<AnnotationReason> all = reasons(UNSURE, "spam", "ham", Map.of("locale", "en-GB"),
                Set.of("locale=en-GB"), hamOnly(100));
        assertEquals(List.of(LOW_MARGIN, DISAGREEMENT, DRIFTED_SLICE, RARE_LABEL), all);
    }

    @Test
    void moreReasonsRankFirstThenTheSmallerMargin() {
        Selection twoReasons = new Selection(List.of(LOW_MARGIN, DISAGREEMENT), 0.125);
        Selection unsure = new Selection(List.of(LOW_MARGIN), 0.0625);
        Selection lessUnsure = new Selection(List.of(LOW_MARGIN), 0.125);
        Selection none = new Selection(List.of(), 0.75);
        List<Selection> ranked = new ArrayList<>(List.of(none, lessUnsure, twoReasons, unsure));
        ranked.sort(Selection.MOST_WORTH_FIRST);
        assertEquals(List.of(twoReasons, unsure, lessUnsure, none), ranked);
    }

    @Test
    void fewerThanTwoProbabilitiesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SELECTOR.select(Map.of("ham", 1.0), "ham", null, Map.of(), Set.of(), hamOnly(0)));
        assertTrue(e.getMessage().contains("at least two labels"), e.getMessage());
    }
}
