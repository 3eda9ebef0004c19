package dev.streamtune.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.streamtune.evaluator.drift.DriftDetector;
import dev.streamtune.evaluator.drift.DriftMonitor;
import dev.streamtune.evaluator.drift.DriftPolicy;
import dev.streamtune.evaluator.sets.EvaluationSets;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.DriftReport;
import dev.streamtune.schema.ExampleOrigin;
import dev.streamtune.schema.PromotionDecision;
import dev.streamtune.schema.RolloutStage;
import dev.streamtune.schema.RolloutTrial;
import dev.streamtune.schema.Split;
import dev.streamtune.schema.TrainingWindow;
import dev.streamtune.schema.Verdict;
import org.junit.jupiter.api.Test;

class EvaluatorStateTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final EvaluatorState state = new EvaluatorState(new EvaluationSets(100, 10, 10),
            new DriftMonitor(new DriftDetector(new DriftPolicy(0.01, 999, 300, 0, 30, 8, 50, 0.55, 0.02), null),
                    DriftMonitor.Reference.FIRST),
            new dev.streamtune.evaluator.rollout.LiveEvidence(Duration.ofHours(1)));

    @Test
    void aCandidateWaitsForItsWindowsTestExamplesThenBecomesReady() {
        state.apply(window("t-000000", 2), T0);
        state.apply(candidate("c1", "t-000000"), T0);
        state.apply(testExample("t-000000", 1), T0);
        assertTrue(state.nextCandidate(T0, PATIENCE).isEmpty(), "one of two test examples arrived");

        state.apply(testExample("t-000000", 2), T0);
        assertEquals("c1", state.nextCandidate(T0, PATIENCE).orElseThrow().getCandidateId());
    }

    @Test
    void aCandidateWhoseExamplesNeverArriveIsJudgedAfterThePatienceRunsOut() {
        state.apply(candidate("c1", "t-000009"), T0);
        assertTrue(state.nextCandidate(T0.plusSeconds(29), PATIENCE).isEmpty());
        assertTrue(state.nextCandidate(T0.plusSeconds(30), PATIENCE).isPresent());
    }

    @Test
    void replayingDecisionsLeavesOnlyUndecidedCandidatesPending() {
        state.apply(window("t-000000", 0), T0);
        state.apply(candidate("c1", "t-000000"), T0);
        state.apply(candidate("c2", "t-000000"), T0);
        state.apply(decision("c1", Verdict.APPROVED), T0);   // decided before the restart
        assertEquals("c2", state.nextCandidate(T0, PATIENCE).orElseThrow().getCandidateId());

        state.apply(decision("c2", Verdict.REJECTED), T0);
        assertTrue(state.nextCandidate(T0, PATIENCE).isEmpty());
    }

    @Test
    void aWindowIsJudgedOnceACandidateTrainedOnItIsDecidedInEitherOrder() {
        state.apply(candidate("c1", "t-000001"), T0);
        assertFalse(state.judgedWindow("t-000001"));
        state.apply(decision("c1", Verdict.REJECTED), T0);
        assertTrue(state.judgedWindow("t-000001"));

        state.apply(decision("c2", Verdict.APPROVED), T0); // a replay may read the decision first
        state.apply(candidate("c2", "t-000002"), T0);
        assertTrue(state.judgedWindow("t-000002"));
    }

    @Test
    void driftReportsAlreadyPublishedAreNotPublishedAgain() {
        state.apply(window("t-000000", 0), T0);
        state.apply(window("t-000001", 0), T0);
        state.apply(window("t-000002", 0), T0);
        Instant later = T0.plus(PATIENCE);
        assertEquals(List.of("t-000001", "t-000002"), state.drift().ready(later, PATIENCE),
                "the first window is the reference; the others waited out their examples");

        DriftReport first = state.drift().report("t-000001", later);
        assertEquals("t-000000", first.getReferenceWindowId());
        state.apply(first, T0); // it came back from the drift.reports topic
        assertEquals(List.of("t-000002"), state.drift().ready(later, PATIENCE));
    }

    @Test
    void promotionsChainAndRollbacksWalkBackThroughHistory() {
        for (String id : List.of("c1", "c2", "c3")) {
            state.apply(candidate(id, "t-000000"), T0);
            state.apply(state.promotion(state.candidate(id).orElseThrow(), "d-" + id, T0), T0);
        }
        assertEquals("c2", state.deployment("t").orElseThrow().getPreviousAdapterId());

        Deployment first = state.rollback("t", "r1", T0);
        assertEquals("c2", first.getAdapterId());
        assertEquals("c1", first.getPreviousAdapterId(), "c2 had replaced c1");
        state.apply(first, T0);

        Deployment second = state.rollback("t", "r2", T0);
        assertEquals("c1", second.getAdapterId());
        assertNull(second.getPreviousAdapterId());
        state.apply(second, T0);

        var error = assertThrows(IllegalStateException.class, () -> state.rollback("t", "r3", T0));
        assertTrue(error.getMessage().contains("nothing to roll back to"), error.getMessage());
    }

    @Test
    void aCandidateIdIsNeverTakenOverByAnotherRecord() {
        AdapterCandidate original = candidate("c1", "t-000000");
        assertTrue(state.apply(original, T0));
        assertTrue(state.apply(candidate("c1", "t-000000"), T0), "the same record read again is no reuse");

        AdapterCandidate forged = AdapterCandidate.newBuilder(original).setArtifactUri("file:///evil")
                .setArtifactSha256("sha-evil").build();
        assertFalse(state.apply(forged, T0), "pending: refused");
        state.apply(decision("c1", Verdict.REJECTED), T0);
        assertFalse(state.apply(forged, T0), "judged: refused");
        assertEquals("sha-c1", state.candidate("c1").orElseThrow().getArtifactSha256());
    }

    @Test
    void aDecisionReplayedBeforeItsCandidateStillPinsTheIdToTheJudgedArtifact() {
        state.apply(PromotionDecision.newBuilder(decision("c1", Verdict.APPROVED)).setArtifactUri("file:///c1")
                .setArtifactSha256("sha-c1").build(), T0);
        AdapterCandidate forged = AdapterCandidate.newBuilder(candidate("c1", "t-000000"))
                .setArtifactSha256("sha-evil").build();
        assertFalse(state.apply(forged, T0));
        assertTrue(state.apply(candidate("c1", "t-000000"), T0), "the judged one is welcome");
    }

    @Test
    void aRollbackRestoresTheArtifactOfTheEarlierDeploymentNotOfACandidateRecord() {
        for (String id : List.of("c1", "c2")) {
            state.apply(candidate(id, "t-000000"), T0);
            state.apply(state.promotion(state.candidate(id).orElseThrow(), "d-" + id, T0), T0);
        }
        state.apply(AdapterCandidate.newBuilder(candidate("c1", "t-000000")).setArtifactUri("file:///evil")
                .setArtifactSha256("sha-evil").build(), T0); // refused, and even if it were not:

        Deployment back = state.rollback("t", "r1", T0);
        assertEquals("c1", back.getAdapterId());
        assertEquals("file:///c1", back.getArtifactUri());
        assertEquals("sha-c1", back.getArtifactSha256());
    }

    @Test
    void labelsComeFromTheCandidatesWindows() {
        state.apply(window("t-000000", 0), T0);
        state.apply(candidate("c1", "t-000000"), T0);
        assertEquals(java.util.Set.of("neg", "pos"), state.labels(state.candidate("c1").orElseThrow()));
        assertFalse(state.deployment("t").isPresent());
    }

    @Test
    void labelsOfWindowsUpToAnAdaptersLastWindowCoverItsPredecessorsWindowsToo() {
        state.apply(TrainingWindow.newBuilder(window("t-000000", 0)).setLabelHistogram(Map.of("a", 5L, "b", 5L))
                .build(), T0);
        state.apply(TrainingWindow.newBuilder(window("t-000001", 0)).setSequence(1)
                .setLabelHistogram(Map.of("c", 5L, "d", 0L)).build(), T0);
        state.apply(TrainingWindow.newBuilder(window("t-000002", 0)).setSequence(2)
                .setLabelHistogram(Map.of("e", 5L)).build(), T0);

        assertEquals(java.util.Set.of("a", "b", "c"), state.labelsOfWindowsUpTo("t", List.of("t-000001")),
                "window 0 through replay and the parent adapter; a label with no examples is not learned");
        assertEquals(java.util.Set.of(), state.labelsOfWindowsUpTo("t", List.of("t-000009")), "unknown window");
    }

    static TrainingWindow window(String id, long testCount) {
        return TrainingWindow.newBuilder().setWindowId(id).setTask("t").setSequence(0).setStart(T0).setEnd(T0)
                .setClosedAt(T0).setCloseReason(dev.streamtune.schema.WindowCloseReason.COUNT).setTrainCount(10)
                .setValidationCount(0).setTestCount(testCount).setLabelHistogram(Map.of("pos", 5L, "neg", 5L))
                .setSliceHistogram(Map.of()).setImbalanceRatio(1).setLengthHistogram(List.of(1L))
                .setLengthBucketBounds(List.of()).setMeanLength(3).setTopTokens(Map.of("a", 1L)).build();
    }

    static AdapterCandidate candidate(String id, String window) {
        return AdapterCandidate.newBuilder().setCandidateId(id).setTask("t").setBaseModelId("base")
                .setBaseModelChecksum("x").setWindowIds(List.of(window)).setArtifactUri("file:///" + id)
                .setArtifactSha256("sha-" + id).setCreatedAt(T0).setHyperparameters(Map.of())
                .setValidationMetrics(Map.of()).build();
    }

    static CleanExample testExample(String window, int i) {
        return CleanExample.newBuilder().setId("e" + i).setTask("t").setText("text " + i).setLabel("pos")
                .setSource("s").setOrigin(ExampleOrigin.LABELLED).setEventTime(T0).setAttributes(Map.of())
                .setWeight(1.0).setSplit(Split.TEST).setContentHash("h" + i).setWindowId(window).build();
    }

    static PromotionDecision decision(String candidateId, Verdict verdict) {
        return PromotionDecision.newBuilder().setDecisionId("d-" + candidateId).setCandidateId(candidateId)
                .setTask("t").setVerdict(verdict).setReasons(List.of()).setDecidedBy("gate").setDecidedAt(T0).build();
    }

    @Test
    void anApprovalThatWaitsForARunningRolloutIsRememberedUntilItsRolloutStarts() {
        PromotionDecision waits = PromotionDecision.newBuilder().setDecisionId("d2").setCandidateId("c2")
                .setTask("t").setVerdict(Verdict.APPROVED)
                .setReasons(List.of("PASS quality", EvaluatorState.ROLLOUT_WAITS + " for the rollout of c1 to end"))
                .setDecidedBy("gate").setDecidedAt(T0).build();
        state.apply(waits, T0);
        assertEquals("c2", state.waitingApproval("t").orElseThrow().getCandidateId());
        Deployment champion = Deployment.newBuilder().setTask("t")
                .setAdapterId("c1").setArtifactUri("file:///c1").setArtifactSha256("aa").setBaseModelId("m")
                .setDecisionId("d1").setDeployedAt(T0).build();
        state.apply(champion, T0);
        assertTrue(state.waitingApproval("t").isPresent(), "another adapter's deployment does not start it");
        state.apply(Deployment.newBuilder(champion).setDecisionId("d2")
                .setTrial(RolloutTrial.newBuilder().setCandidateId("c2")
                        .setArtifactUri("file:///c2").setArtifactSha256("bb")
                        .setStage(RolloutStage.CANARY).setShare(0.1).setStep(1).setSteps(3)
                        .setStepStartedAt(T0).setApprovalDecisionId("d2").build()).build(), T0);
        assertTrue(state.waitingApproval("t").isEmpty());
    }
}
