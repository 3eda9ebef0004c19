package dev.streamtune.serving.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.streamtune.model.Prediction;
import dev.streamtune.model.annotation.AnnotationBudget;
import dev.streamtune.model.annotation.AnnotationPolicy;
import dev.streamtune.model.annotation.AnnotationSelector;
import dev.streamtune.schema.AnnotationRequest;
import dev.streamtune.schema.DriftReport;
import dev.streamtune.schema.FeedbackEvent;
import dev.streamtune.schema.ServingRole;
import dev.streamtune.serving.predict.Answer;
import org.junit.jupiter.api.Test;

class AnnotationRequesterTest {

    private static final List<String> LABELS = List.of("negative", "positive");
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private static final AnnotationPolicy POLICY = new AnnotationPolicy(0.2, 0.0, 3, 100);

    private final List<AnnotationRequest> sent = new ArrayList<>();
    private final List<String> refused = new ArrayList<>();
    private final List<String> labelled = new ArrayList<>();
    private final AnnotationRequester requester = requester(true);

    private AnnotationRequester requester(boolean enabled) {
        return new AnnotationRequester(enabled, new AnnotationSelector(POLICY), new AnnotationBudget(POLICY),
                sent::add, new AnnotationRequester.Observer() {
                    @Override
                    public void requested(AnnotationRequest request) {
                    }

                    @Override
                    public void refused(String task, AnnotationBudget.Decision why) {
                        refused.add(why.name());
                    }

                    @Override
                    public void labelled(String task) {
                        labelled.add(task);
                    }
                }, Clock.fixed(T0, ZoneOffset.UTC));
    }

    @Test
    void anUncertainAnswerIsRequestedWithWhatTheLabellerNeeds() {
        requester.answered(answer("p1", "close call", 0.55f), Map.of("channel", "app"));
        requester.answered(answer("p2", "sure thing", 0.95f), Map.of());
        assertEquals(1, sent.size());
        AnnotationRequest request = sent.get(0);
        assertEquals("p1", request.getPredictionId());
        assertEquals("close call", request.getText());
        assertEquals("positive", request.getPredictedLabel());
        assertEquals(List.of("LOW_MARGIN"), request.getReasons());
        assertEquals(Map.of("channel", "app"), request.getAttributes());
        assertEquals("champ", request.getAdapterId());
    }

    @Test
    void theHourlyBudgetAndRepeatsAreRefused() {
        for (int i = 0; i < 5; i++) {
            requester.answered(answer("p" + i, "text " + i, 0.5f), Map.of());
        }
        requester.answered(answer("again", "TEXT 0 ", 0.5f), Map.of());
        assertEquals(3, sent.size());
        assertEquals(List.of("OVER_BUDGET", "OVER_BUDGET", "DUPLICATE"), refused);
    }

    @Test
    void aShadowDisagreementAsksAboutTheChampionsAnswer() {
        Answer champion = answer("p1", "the candidate sees it otherwise", 0.9f);
        Answer shadow = new Answer("r", "t", "cand", "base", LABELS, List.of(new Answer.Served("p1",
                "the candidate sees it otherwise", false, new Prediction(LABELS, new float[] {0.8f, 0.2f}))),
                T0, 900, ServingRole.SHADOW, champion);
        requester.shadowed(shadow);
        AnnotationRequest request = sent.get(0);
        assertEquals(List.of("DISAGREEMENT"), request.getReasons());
        assertEquals("positive", request.getPredictedLabel());
        assertEquals("negative", request.getOtherLabel());
        assertEquals("cand", request.getOtherAdapterId());
    }

    @Test
    void aRequestInASliceTheDriftReportFlaggedIsAskedAbout() {
        requester.driftReported(DriftReport.newBuilder().setReportId("d").setTask("t").setWindowId("w")
                .setCreatedAt(T0).setScores(Map.of()).setThresholds(Map.of())
                .setExceeded(List.of("input.token.js", "slice.channel=app.input.embedding.mmd", "slice.channel.js"))
                .setRetrainTriggered(false).build());
        requester.answered(answer("p1", "from the app", 0.95f), Map.of("channel", "app"));
        requester.answered(answer("p2", "from the web", 0.95f), Map.of("channel", "web"));
        assertEquals(1, sent.size());
        assertEquals(List.of("DRIFTED_SLICE"), sent.get(0).getReasons());
        assertEquals(Set.of("channel=app", "lang=en.gb"), AnnotationRequester.slicesOf(List.of(
                "slice.channel=app.label.js", "slice.lang=en.gb.input.token.js", "slice.lang.js")));
    }

    @Test
    void aLabelComingBackIsCountedOnce() {
        requester.answered(answer("p1", "close call", 0.5f), Map.of());
        FeedbackEvent label = FeedbackEvent.newBuilder().setRequestId("p1").setTask("t").setModelVersion("champ")
                .setText("close call").setPredictedLabel("positive").setCorrectedLabel("negative").setEventTime(T0)
                .build();
        requester.feedback(label);
        requester.feedback(label);
        requester.feedback(FeedbackEvent.newBuilder(label).setRequestId("never-asked").build());
        assertEquals(List.of("t"), labelled);
    }

    @Test
    void switchedOffItAsksNothing() {
        AnnotationRequester off = requester(false);
        off.answered(answer("p1", "close call", 0.5f), Map.of());
        assertTrue(sent.isEmpty());
    }

    private static Answer answer(String id, String text, float positive) {
        return new Answer("r-" + id, "t", "champ", "base", LABELS, List.of(new Answer.Served(id, text, false,
                new Prediction(LABELS, new float[] {1 - positive, positive}))), T0, 1000);
    }
}
