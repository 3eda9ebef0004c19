package dev.streamtune.trainer.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.streamtune.model.BaseModel;
import dev.streamtune.model.BuiltInModels;
import dev.streamtune.model.ClassifierConfig;
import dev.streamtune.model.OptimizerState;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.schema.Split;
import dev.streamtune.trainer.TrainerSettings.Hyperparameters;
import dev.streamtune.trainer.schedule.LearningRateSchedule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The optimizer chosen in the hyperparameters, and gradual unfreezing, through a real run on MiniLM. */
class WindowTrainerTest {

    private static final List<String> LABELS = SyntheticIntents.LABELS.subList(0, 3);
    /** Two top layers copied (5 and 4), no dropout so an interrupted run can be compared with a straight one. */
    private static final ClassifierConfig TOP_TWO = ClassifierConfig.of(LABELS).withTrainableTopLayers(2)
            .withDropout(0f, 0f, 0f).withMaxSequenceLength(32).withSeed(42);

    private static BaseModel base;

    @BeforeAll
    static void loadBase() {
        base = BuiltInModels.miniLm();
    }

    @AfterAll
    static void closeBase() {
        base.close();
    }

    @Test
    void aLayerNotYetUnfrozenIsUntouchedUntilItsStepAndTrainsAfter() {
        List<Map<String, float[]>> afterStep = new ArrayList<>();
        WindowTrainer.Result result;
        Map<String, float[]> initial;
        try (TextClassifier classifier = TextClassifier.create(base, TOP_TWO)) {
            initial = classifier.snapshot();
            result = WindowTrainer.train(run(classifier, hyperparameters("adamw", 2), Resume.NONE,
                    (step, batches, session) -> afterStep.add(session.classifier().snapshot())));
        }
        assertEquals(6, afterStep.size());
        String top = "encoder.layer.5.output.dense.weight";
        String next = "encoder.layer.4.output.dense.weight";
        for (int step = 1; step <= 6; step++) {
            Map<String, float[]> weights = afterStep.get(step - 1);
            assertEquals(step <= 2, Arrays.equals(initial.get(top), weights.get(top)), "layer 5 after step " + step);
            assertEquals(step <= 4, Arrays.equals(initial.get(next), weights.get(next)), "layer 4 after step " + step);
            assertFalse(Arrays.equals(initial.get("classifier.weight"), weights.get("classifier.weight")),
                    "the head trains from the first step");
        }
        assertTrue(Arrays.equals(afterStep.get(1).get(top), afterStep.get(0).get(top)), "bit for bit until then");
        assertEquals("top 2 layers, one every 2 steps; unfrozen at steps [2, 4]", result.unfreezing());
    }

    @Test
    void aResumedRoundFollowsTheUninterruptedUnfreezingSchedule() {
        Hyperparameters hp = hyperparameters("sgd", 2);
        Map<String, float[]> straight;
        try (TextClassifier classifier = TextClassifier.create(base, TOP_TWO)) {
            WindowTrainer.train(run(classifier, hp, Resume.NONE, (step, batches, session) -> { }));
            straight = classifier.snapshot();
        }
        // Interrupted after step 3: layer 5 trains, layer 4 is still held (its step is 4).
        AtomicReference<Map<String, float[]>> weights = new AtomicReference<>();
        AtomicReference<OptimizerState> state = new AtomicReference<>();
        try (TextClassifier classifier = TextClassifier.create(base, TOP_TWO)) {
            WindowTrainer.train(run(classifier, hp, Resume.NONE, (step, batches, session) -> {
                if (step == 3) {
                    weights.set(session.classifier().snapshot());
                    state.set(session.optimizerState());
                }
            }));
        }
        assertEquals("sgd", state.get().method(), "the configured optimizer ran the steps");
        WindowTrainer.Result resumed;
        try (TextClassifier classifier = TextClassifier.create(base, TOP_TWO)) {
            classifier.restore(weights.get());
            resumed = WindowTrainer.train(run(classifier, hp, new Resume(3, state.get()),
                    (step, batches, session) -> { }));
            Map<String, float[]> end = classifier.snapshot();
            straight.forEach((name, values) -> assertArrayEquals(values, end.get(name), 1e-6f, name));
        }
        assertEquals("top 2 layers, one every 2 steps; unfrozen at steps [2, 4]", resumed.unfreezing());
    }

    @Test
    void withoutUnfreezingEveryCopyTrainsFromTheFirstStep() {
        List<Map<String, float[]>> afterStep = new ArrayList<>();
        WindowTrainer.Result result;
        Map<String, float[]> initial;
        try (TextClassifier classifier = TextClassifier.create(base, TOP_TWO)) {
            initial = classifier.snapshot();
            result = WindowTrainer.train(run(classifier, hyperparameters("rmsprop", 0), Resume.NONE,
                    (step, batches, session) -> {
                        afterStep.add(session.classifier().snapshot());
                        assertEquals("rmsprop", session.optimizerState().method());
                    }));
        }
        String next = "encoder.layer.4.output.dense.weight";
        assertFalse(Arrays.equals(initial.get(next), afterStep.get(0).get(next)));
        assertEquals("", result.unfreezing());
    }

    private static TrainingRun run(TextClassifier classifier, Hyperparameters hp, Resume resume,
                                   WindowTrainer.StepListener listener) {
        TrainingPlan plan = TrainingPlan.of(SyntheticIntents.examples("intents", "w1", LABELS, 48, 1, Split.TRAIN),
                List.of(), 8, 1, 6, hp.seed());
        return new TrainingRun(classifier, plan, List.of(), hp, List.of(), resume, listener, "test");
    }

    /** Constant learning rate, no warm-up, one step per batch; each optimizer with a rate that suits it. */
    private static Hyperparameters hyperparameters(String optimizer, int unfreezeEvery) {
        double lr = optimizer.equals("sgd") ? 5e-2 : 1e-3;
        return new Hyperparameters(lr, 0, LearningRateSchedule.Decay.CONSTANT, 1.0, 8, 1, 1, 6, 0.01, 0f, 8, 16f,
                List.of("query", "value"), 0, 2, 32, 42, 100, 1000, 0, "lora", 0, optimizer, 0.9, 0.99, unfreezeEvery);
    }
}
