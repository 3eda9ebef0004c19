package dev.streamtune.serving.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.RolloutStage;
import dev.streamtune.schema.RolloutTrial;
import org.junit.jupiter.api.Test;

class RolloutRoutesTest {

    private double draw = 0.5;
    private final RolloutRoutes routes = new RolloutRoutes(() -> draw);

    @Test
    void withoutARolloutTheChampionAnswersEveryone() {
        assertEquals(RolloutRoutes.Route.CHAMPION, routes.route("t", "alice"));
        assertFalse(routes.shadows("t"));
    }

    @Test
    void aCanaryAnswersAboutItsShareOfKeysAndAKeyAlwaysGetsTheSameModel() {
        routes.update(deployment(RolloutStage.CANARY, 0.25));
        int canary = 0;
        for (int i = 0; i < 10_000; i++) {
            RolloutRoutes.Route route = routes.route("t", "user-" + i);
            assertEquals(route, routes.route("t", "user-" + i));
            if (route == RolloutRoutes.Route.CANARY) {
                canary++;
            }
        }
        assertEquals(2500, canary, 150); // binomial sd 43
    }

    @Test
    void aKeyOnTheCanaryStaysOnItWhenTheShareGrows() {
        routes.update(deployment(RolloutStage.CANARY, 0.05));
        java.util.List<String> early = new java.util.ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            if (routes.route("t", "user-" + i) == RolloutRoutes.Route.CANARY) {
                early.add("user-" + i);
            }
        }
        assertTrue(early.size() > 50, early.size() + " keys");
        routes.update(deployment(RolloutStage.CANARY, 0.25));
        early.forEach(key -> assertEquals(RolloutRoutes.Route.CANARY, routes.route("t", key), key));
    }

    @Test
    void tasksAreSplitIndependently() {
        assertTrue(RolloutRoutes.bucket("a", "user-1") != RolloutRoutes.bucket("b", "user-1"));
    }

    @Test
    void shadowSamplesItsShareAndNeverRoutesTheUser() {
        routes.update(deployment(RolloutStage.SHADOW, 0.1));
        assertEquals(RolloutRoutes.Route.CHAMPION, routes.route("t", "anyone"));
        draw = 0.05;
        assertTrue(routes.shadows("t"));
        draw = 0.2;
        assertFalse(routes.shadows("t"));
    }

    @Test
    void aDeploymentWithoutATrialEndsTheRollout() {
        routes.update(deployment(RolloutStage.CANARY, 1.0));
        assertEquals(RolloutRoutes.Route.CANARY, routes.route("t", "x"));
        routes.update(Deployment.newBuilder(deployment(RolloutStage.CANARY, 1.0)).setTrial(null).build());
        assertEquals(RolloutRoutes.Route.CHAMPION, routes.route("t", "x"));
    }

    static Deployment deployment(RolloutStage stage, double share) {
        Instant t0 = Instant.parse("2026-12-03T10:00:00Z");
        return Deployment.newBuilder().setTask("t").setAdapterId("champ").setArtifactUri("file:///c")
                .setArtifactSha256("aa").setBaseModelId("m").setDecisionId("d").setDeployedAt(t0)
                .setTrial(RolloutTrial.newBuilder().setCandidateId("cand").setArtifactUri("file:///answers-negative")
                        .setArtifactSha256("bb").setStage(stage).setShare(share).setStep(1).setSteps(3)
                        .setStepStartedAt(t0).setApprovalDecisionId("d").build()).build();
    }
}
