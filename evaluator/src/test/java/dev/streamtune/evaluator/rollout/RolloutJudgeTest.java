package dev.streamtune.evaluator.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.streamtune.schema.FeedbackEvent;
import dev.streamtune.schema.PredictionLog;
import dev.streamtune.schema.RolloutStage;
import dev.streamtune.schema.RolloutTrial;
import dev.streamtune.schema.ServingRole;
import org.junit.jupiter.api.Test;

class RolloutJudgeTest {

    static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    static final RolloutPolicy POLICY = new RolloutPolicy(0.25, 2, 0.1, 0, 0.25, 50, Duration.ofSeconds(30), 0.05,
            0.05, 1.0, 100);

    private final LiveEvidence evidence = new LiveEvidence(Duration.ofHours(1));
    private final RolloutJudge judge = new RolloutJudge(POLICY);

    @Test
    void aCandidateCorrectedAsOftenAsTheChampionAdvancesOnceEnoughAnswersAreIn() {
        serve("champ", 600, 30, 1000);
        serve("cand", 600, 30, 1000);
        RolloutJudge.Call call = judge.judge(canary(), "champ", evidence, T0.plusSeconds(60));
        assertEquals(RolloutJudge.Action.ADVANCE, call.action(), call.reason());
        assertTrue(call.reason().contains("corrected on 30 of 600"), call.reason());
    }

    @Test
    void aCandidateCorrectedFarMoreOftenIsRolledBackBeforeTheStepsMinimumDuration() {
        serve("champ", 100, 5, 1000);
        serve("cand", 60, 20, 1000);
        RolloutJudge.Call call = judge.judge(canary(), "champ", evidence, T0.plusSeconds(5));
        assertEquals(RolloutJudge.Action.ROLL_BACK, call.action(), call.reason());
        assertTrue(call.reason().contains("worse with p"), call.reason());
    }

    @Test
    void oneCorrectionAgainstNoneIsNoReasonToRollBack() {
        serve("champ", 92, 0, 1000);
        serve("cand", 20, 1, 1000);
        // the demo's policy (20 answers a side, margin 0.2), where a pooled z-test said p = 0.016 and rolled back
        RolloutJudge demo = new RolloutJudge(new RolloutPolicy(0.25, 2, 0.1, 0, 0.25, 20, Duration.ofSeconds(10),
                0.2, 0.05, 1.0, 100));
        RolloutJudge.Call call = demo.judge(canary(), "champ", evidence, T0.plusSeconds(60));
        assertEquals(RolloutJudge.Action.ADVANCE, call.action(), call.reason());
    }

    @Test
    void tooFewAnswersHoldsEvenWhenTheyLookBad() {
        serve("champ", 100, 5, 1000);
        serve("cand", 10, 5, 1000);
        RolloutJudge.Call call = judge.judge(canary(), "champ", evidence, T0.plusSeconds(60));
        assertEquals(RolloutJudge.Action.HOLD, call.action(), call.reason());
        assertTrue(call.reason().contains("waiting for 50 answers"), call.reason());
    }

    @Test
    void aSmallSampleThatCannotRuleOutTheMarginHolds() {
        serve("champ", 60, 3, 1000);
        serve("cand", 60, 4, 1000);
        RolloutJudge.Call call = judge.judge(canary(), "champ", evidence, T0.plusSeconds(60));
        assertEquals(RolloutJudge.Action.HOLD, call.action(), call.reason());
        assertTrue(call.reason().contains("more answers needed"), call.reason());
    }

    @Test
    void theStepLastsItsMinimumDurationBeforeAdvancing() {
        serve("champ", 600, 30, 1000);
        serve("cand", 600, 30, 1000);
        assertEquals(RolloutJudge.Action.HOLD, judge.judge(canary(), "champ", evidence, T0.plusSeconds(10)).action());
    }

    @Test
    void aCandidateTwiceAsSlowAtP99IsRolledBack() {
        serve("champ", 600, 30, 1000);
        serve("cand", 600, 30, 5000);
        RolloutJudge.Call call = judge.judge(canary(), "champ", evidence, T0.plusSeconds(60));
        assertEquals(RolloutJudge.Action.ROLL_BACK, call.action(), call.reason());
        assertTrue(call.reason().contains("p99 latency"), call.reason());
    }

    @Test
    void evidenceFromBeforeTheStepDoesNotCount() {
        serve("champ", 600, 30, 1000);
        serve("cand", 600, 30, 1000);
        RolloutTrial later = RolloutTrial.newBuilder(canary()).setStepStartedAt(T0.plusSeconds(600)).build();
        assertEquals(RolloutJudge.Action.HOLD, judge.judge(later, "champ", evidence, T0.plusSeconds(700)).action());
    }

    @Test
    void shadowWaitsForItsPairsThenAdvancesOrRollsBackOnDisagreement() {
        RolloutJudge shadowJudge = new RolloutJudge(new RolloutPolicy(0.25, 2, 0.1, 40, 0.25, 50,
                Duration.ofSeconds(30), 0.05, 0.05, 1.0, 100));
        RolloutTrial trial = RolloutTrial.newBuilder(canary()).setStage(RolloutStage.SHADOW).setStep(0).build();
        shadow("cand", 30, 3);
        assertEquals(RolloutJudge.Action.HOLD, shadowJudge.judge(trial, "champ", evidence, T0).action());
        shadow("cand", 10, 1);
        RolloutJudge.Call agrees = shadowJudge.judge(trial, "champ", evidence, T0);
        assertEquals(RolloutJudge.Action.ADVANCE, agrees.action(), agrees.reason());
        shadow("other", 40, 20);
        RolloutTrial other = RolloutTrial.newBuilder(trial).setCandidateId("other").build();
        RolloutJudge.Call disagrees = shadowJudge.judge(other, "champ", evidence, T0);
        assertEquals(RolloutJudge.Action.ROLL_BACK, disagrees.action(), disagrees.reason());
        assertTrue(disagrees.reason().contains("20 of 40"), disagrees.reason());
    }

    @Test
    void theWorseTestMatchesItsTextbookValue() {
        // 20/60 vs 5/100: Fisher's exact one-sided p = 3.0919e-6 (the hypergeometric sum computed exactly)
        double p = RolloutJudge.pValueWorse(new LiveEvidence.Arm(60, 20, 0, new LatencyHistogram()),
                new LiveEvidence.Arm(100, 5, 0, new LatencyHistogram()));
        assertEquals(3.0919312e-6, p, 1e-12);
    }

    static RolloutTrial canary() {
        return RolloutTrial.newBuilder().setCandidateId("cand").setArtifactUri("file:///a").setArtifactSha256("ab")
                .setStage(RolloutStage.CANARY).setShare(0.25).setStep(1).setSteps(3).setStepStartedAt(T0)
                .setApprovalDecisionId("d1").build();
    }

    /** {@code served} answers of {@code adapter}, {@code corrected} of them corrected by users. */
    private void serve(String adapter, int served, int corrected, long latencyMicros) {
        for (int i = 0; i < served; i++) {
            evidence.onPrediction(prediction(adapter, "positive", ServingRole.CHAMPION, latencyMicros)
                    .build());
            if (i < corrected) {
                evidence.onFeedback(FeedbackEvent.newBuilder().setRequestId(adapter + i).setTask("t")
                        .setModelVersion(adapter).setText("x").setPredictedLabel("positive")
                        .setCorrectedLabel("negative").setEventTime(T0.plusSeconds(1)).build());
            }
        }
    }

    private void shadow(String candidate, int pairs, int disagreements) {
        for (int i = 0; i < pairs; i++) {
            evidence.onPrediction(prediction(candidate, i < disagreements ? "negative" : "positive",
                    ServingRole.SHADOW, 1000).setChampionLabel("positive").setChampionConfidence(0.9)
                    .setChampionLatencyMicros(900L).build());
        }
    }

    private static PredictionLog.Builder prediction(String adapter, String label, ServingRole role, long micros) {
        return PredictionLog.newBuilder().setRequestId("r").setTask("t").setAdapterId(adapter).setText("x")
                .setPredictedLabel(label).setProbabilities(Map.of(label, 0.8)).setServedAt(T0.plusSeconds(1))
                .setLatencyMicros(micros).setRole(role);
    }
}
