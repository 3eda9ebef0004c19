package dev.streamtune.evaluator.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.RolloutStage;
import org.junit.jupiter.api.Test;

class RolloutStepsTest {

    static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void fivePercentTimesFiveGoesThroughTwentyFiveToAHundred() {
        assertEquals(List.of(0.05, 0.25, 1.0), policy(0.05, 5, 0).steps());
        assertEquals(List.of(), policy(0, 5, 0).steps());
        assertEquals(List.of(1.0), policy(1, 5, 0).steps());
    }

    @Test
    void aCanaryWalksItsStepsThenTheCandidateBecomesTheChampion() {
        RolloutPolicy policy = policy(0.05, 5, 0);
        Deployment first = RolloutSteps.start(champion(), candidate(), "d1", policy, T0);
        assertEquals("champ", first.getAdapterId());
        assertEquals(RolloutStage.CANARY, first.getTrial().getStage());
        assertEquals(0.05, first.getTrial().getShare());
        assertEquals(1, first.getTrial().getStep());
        assertEquals(3, first.getTrial().getSteps());
        assertEquals("file:///cand", first.getTrial().getArtifactUri());
        Deployment second = RolloutSteps.next(first, candidate(), policy, "d2", T0.plusSeconds(60));
        assertEquals(0.25, second.getTrial().getShare());
        assertEquals(T0.plusSeconds(60), second.getTrial().getStepStartedAt());
        Deployment done = RolloutSteps.next(second, candidate(), policy, "d3", T0.plusSeconds(120));
        assertEquals("cand", done.getAdapterId());
        assertEquals("champ", done.getPreviousAdapterId());
        assertNull(done.getTrial());
    }

    @Test
    void shadowComesFirstWhenItsEvidenceIsRequiredAndWithoutCanariesPromotesDirectly() {
        Deployment shadow = RolloutSteps.start(champion(), candidate(), "d1", policy(0, 5, 20), T0);
        assertEquals(RolloutStage.SHADOW, shadow.getTrial().getStage());
        assertEquals(0.1, shadow.getTrial().getShare());
        assertEquals("cand", RolloutSteps.next(shadow, candidate(), policy(0, 5, 20), "d2", T0).getAdapterId());
        Deployment canary = RolloutSteps.next(shadow, candidate(), policy(0.5, 2, 20), "d2", T0);
        assertEquals(RolloutStage.CANARY, canary.getTrial().getStage());
        assertEquals(0.5, canary.getTrial().getShare());
    }

    @Test
    void anAbortedRolloutLeavesTheChampionAlone() {
        Deployment trial = RolloutSteps.start(champion(), candidate(), "d1", policy(0.05, 5, 0), T0);
        Deployment aborted = RolloutSteps.abort(trial, "d9", T0);
        assertEquals("champ", aborted.getAdapterId());
        assertNull(aborted.getTrial());
        assertEquals("d9", aborted.getDecisionId());
    }

    @Test
    void aTaskOverridesItsStepsAndBadPoliciesAreRefused() {
        RolloutPolicy overridden = policy(0, 5, 0).withOverrides(Map.of("rollout-first-share", 0.5,
                "rollout-step-factor", 2.0, "max-quality-drop", 0.1));
        assertEquals(List.of(0.5, 1.0), overridden.steps());
        assertThrows(IllegalArgumentException.class, () -> policy(0.05, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> policy(1.5, 2, 0));
    }

    static RolloutPolicy policy(double first, double factor, int shadowPairs) {
        return new RolloutPolicy(first, factor, 0.1, shadowPairs, 0.25, 50, Duration.ofSeconds(30), 0.05, 0.05, 1.0,
                100);
    }

    static Deployment champion() {
        return Deployment.newBuilder().setTask("t").setAdapterId("champ").setArtifactUri("file:///champ")
                .setArtifactSha256("aa").setBaseModelId("m").setDecisionId("d0").setDeployedAt(T0).build();
    }

    static AdapterCandidate candidate() {
        return AdapterCandidate.newBuilder().setCandidateId("cand").setTask("t").setBaseModelId("m")
                .setBaseModelChecksum("-").setWindowIds(List.of("w1")).setArtifactUri("file:///cand")
                .setArtifactSha256("bb").setCreatedAt(T0).setHyperparameters(Map.of()).setValidationMetrics(Map.of())
                .build();
    }
}
