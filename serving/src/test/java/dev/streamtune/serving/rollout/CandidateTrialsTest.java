package dev.streamtune.serving.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.RolloutStage;
import dev.streamtune.schema.ServingRole;
import dev.streamtune.serving.ServingSettings;
import dev.streamtune.serving.adapter.FakeModels;
import dev.streamtune.serving.adapter.AdapterRegistry;
import dev.streamtune.serving.predict.Answer;
import dev.streamtune.serving.predict.PredictionService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Routing, shadow runs and the end of a rollout, through PredictionService with two stand-in models. */
class CandidateTrialsTest {

    /** The champion says positive, the candidate (its artifact "answers-negative") negative. */
    private final FakeModels loader = new FakeModels();

    private final List<Answer> seen = new CopyOnWriteArrayList<>();
    private final List<Answer> shadows = new CopyOnWriteArrayList<>();
    private final AdapterRegistry champions = new AdapterRegistry(loader, AdapterRegistry.Listener.NONE,
            Clock.systemUTC());
    private final AdapterRegistry candidates = new AdapterRegistry(loader, AdapterRegistry.Listener.NONE,
            Clock.systemUTC());
    private double draw = 0.0;
    private final CandidateTrials trials = new CandidateTrials(candidates, new RolloutRoutes(() -> draw),
            new ShadowRunner(candidates, 16, Duration.ZERO, new ShadowRunner.Observer() {
                @Override
                public void answered(Answer shadow) {
                    shadows.add(shadow);
                }

                @Override
                public void dropped(String task) {
                }
            }, Clock.systemUTC()));
    private final PredictionService service = new PredictionService(champions, trials,
            new ServingSettings.Batch(8, Duration.ofMillis(1), 100, 1, 0), "base", seen::add, Clock.systemUTC());

    @AfterEach
    void close() {
        loader.releaseHeldPasses();
        service.close();
        trials.close();
        champions.close();
    }

    @Test
    void aCanaryAnswersItsShareOfKeysAndEachKeyAlwaysTheSameWay() throws Exception {
        follow(RolloutRoutesTest.deployment(RolloutStage.CANARY, 0.5));
        int canary = 0;
        for (int i = 0; i < 200; i++) {
            Answer first = predict("user-" + i);
            Answer again = predict("user-" + i);
            assertEquals(first.adapterId(), again.adapterId());
            if (first.role() == ServingRole.CANARY) {
                canary++;
                assertEquals("cand", first.adapterId());
                assertEquals("negative", first.predictions().get(0).prediction().label());
            } else {
                assertEquals("champ", first.adapterId());
            }
        }
        assertEquals(100, canary, 25);
        assertTrue(shadows.isEmpty(), "a canary runs no shadow");
    }

    @Test
    void shadowNeverChangesTheAnswerAndLogsTheCandidatesBesideIt() throws Exception {
        follow(RolloutRoutesTest.deployment(RolloutStage.SHADOW, 1.0));
        for (int i = 0; i < 20; i++) {
            Answer answer = predict("user-" + i);
            assertEquals(ServingRole.CHAMPION, answer.role());
            assertEquals("positive", answer.predictions().get(0).prediction().label());
        }
        waitFor(() -> shadows.size() == 20);
        Answer shadow = shadows.get(0);
        assertEquals(ServingRole.SHADOW, shadow.role());
        assertEquals("cand", shadow.adapterId());
        assertEquals("negative", shadow.predictions().get(0).prediction().label());
        assertEquals("positive", shadow.champion().predictions().get(0).prediction().label());
        assertEquals(shadow.champion().predictions().get(0).predictionId(), shadow.predictions().get(0).predictionId());
        assertTrue(seen.stream().allMatch(Answer::seenByUser), "only the users' answers reach the observer");
    }

    @Test
    void noCallWaitsForItsShadowRun() throws Exception {
        Deployment shadowed = RolloutRoutesTest.deployment(RolloutStage.SHADOW, 1.0);
        shadowed.getTrial().setArtifactUri("file:///answers-negative-held");
        follow(shadowed);
        // The candidate's forward passes are held: a call waiting for its shadow run would time out here
        for (int i = 0; i < 5; i++) {
            assertEquals("positive", predict("user-" + i).predictions().get(0).prediction().label());
        }
        assertTrue(shadows.isEmpty());
        loader.releaseHeldPasses();
        waitFor(() -> shadows.size() == 5);
        assertEquals(0, trials.shadow().traffic().inFlight(), "every call said it ended");
    }

    @Test
    void whenTheRolloutEndsEveryKeyGoesBackToTheChampionWithoutAFailedCall() throws Exception {
        Deployment trial = RolloutRoutesTest.deployment(RolloutStage.CANARY, 1.0);
        follow(trial);
        assertEquals(ServingRole.CANARY, predict("user-1").role());
        trials.follow(Deployment.newBuilder(trial).setTrial(null).build());
        for (int i = 0; i < 50; i++) {
            Answer answer = predict("user-" + i);
            assertEquals("champ", answer.adapterId());
        }
        assertTrue(candidates.current("t").isEmpty());
    }

    private void follow(Deployment deployment) throws Exception {
        champions.deploy(deployment);
        trials.follow(deployment);
        waitFor(() -> champions.isServing("t") && candidates.isServing("t"));
    }

    private Answer predict(String key) throws Exception {
        return service.predict("t", dev.streamtune.serving.tasks.ServedTasks.FittedTexts.asGiven(List.of("a text")),
                key).get(10, TimeUnit.SECONDS);
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean());
    }
}
