package dev.streamtune.trainer.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.kafka.ConsumerLoop;
import dev.streamtune.model.AdapterArtifact;
import dev.streamtune.model.BaseModel;
import dev.streamtune.model.BuiltInModels;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.Split;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.schema.TrainingWindow;
import dev.streamtune.schema.WindowCloseReason;
import dev.streamtune.trainer.TrainerSettings;
import dev.streamtune.trainer.checkpoint.TrainerCheckpoint;
import dev.streamtune.trainer.training.SyntheticIntents;
import dev.streamtune.trainer.training.SyntheticTasks;
import dev.streamtune.trainer.window.WindowAssembler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One round on the real MiniLM base, a few steps long: candidate, pending checkpoint, stop and resume. No broker. */
class RoundRunnerTest {

    private static final List<String> LABELS = SyntheticIntents.LABELS.subList(0, 3);
    /** Short rounds: six optimizer steps, validated every three on six of the validation examples. */
    private static final TaskDefinition INTENTS = TaskCatalogue.nextVersion(
            TaskCatalogue.newTask("intents", LABELS, "test", Instant.EPOCH), "test", Instant.EPOCH, "short rounds")
            .setTrainingOverrides(Map.of("max-steps", "6", "evaluate-every-steps", "3", "validation-sample", "6"))
            .build();

    private static BaseModel base;

    @TempDir
    Path home;

    @BeforeAll
    static void loadBase() {
        base = BuiltInModels.miniLm();
    }

    @AfterAll
    static void closeBase() {
        base.close();
    }

    @Test
    void finishedRoundIsSavedAsPendingCandidateBeforeItIsPublished() throws Exception {
        TrainerCheckpoint checkpoint = new TrainerCheckpoint(home.resolve("trainer"));
        Path store = AdapterArtifact.storeUnder(home);
        AdapterCandidate candidate = new RoundRunner(base, settings(), checkpoint, store)
                .run(round("w1"), null, () -> true);

        assertEquals("cand-w1", candidate.getCandidateId());
        assertEquals(List.of("w1"), candidate.getWindowIds());
        assertEquals("6", candidate.getHyperparameters().get("maxSteps"), "the task's override applied");
        assertEquals(6.0, candidate.getValidationMetrics().get("steps"));
        assertEquals(6.0, candidate.getValidationMetrics().get("validation.sample.examples"), "early stopping's");
        assertEquals(round("w1").windows().get(0).validation().size(),
                candidate.getValidationMetrics().get("calibration.examples"),
                "the whole split is scored once, for the temperature and the accuracy");
        assertTrue(candidate.getValidationMetrics().containsKey("validation.accuracy"));
        Path file = store.resolve("intents").resolve("cand-w1.adapter");
        assertTrue(Files.exists(file));
        assertEquals(AdapterArtifact.sha256(file), candidate.getArtifactSha256());
        assertEquals(candidate, checkpoint.pending("intents").orElseThrow(), "saved before it is published");
        List<String> lineage = candidate.getLineage();
        assertEquals("fresh adapter on " + base.id(), lineage.get(0));
        assertTrue(lineage.contains("windows w1"), lineage.toString());
        assertTrue(lineage.contains("task intents v2: labels " + LABELS), lineage.toString());
        assertTrue(lineage.stream().anyMatch(line -> line.startsWith("task overrides ")), lineage.toString());
        assertTrue(lineage.contains("strategies [replay, ewc]"), lineage.toString());
        assertTrue(lineage.stream().anyMatch(line -> line.startsWith("hyperparameters ") && line.contains(
                "max-steps=6") && line.contains("evaluate-every-steps=3")), "overridden values: " + lineage);
    }

    @Test
    void stoppedRoundCheckpointsAndTheNextAttemptResumesFromThere() throws Exception {
        TrainerCheckpoint checkpoint = new TrainerCheckpoint(home.resolve("trainer"));
        Path store = AdapterArtifact.storeUnder(home);
        AtomicInteger steps = new AtomicInteger();
        assertThrows(ConsumerLoop.StopRequested.class, () -> new RoundRunner(base, settings(), checkpoint, store)
                .run(round("w1"), null, () -> steps.incrementAndGet() < 3));

        TrainerCheckpoint.Round saved = checkpoint.round("intents").orElseThrow();
        assertEquals("cand-w1", saved.candidateId());
        assertEquals(3, saved.batchesDone(), "the stop came after the third step");
        assertTrue(checkpoint.pending("intents").isEmpty());

        AdapterCandidate candidate = new RoundRunner(base, settings(), checkpoint, store)
                .run(round("w1"), null, () -> true);
        assertTrue(candidate.getLineage().contains(
                "resumed after 3 batches (weights and optimizer state from the checkpoint)"),
                candidate.getLineage().toString());
        assertEquals(6.0, candidate.getValidationMetrics().get("steps"), "three resumed + three before the stop");
    }

    @Test
    void eachSearchMethodSpendsTheSameBudgetAndTheLineageSaysWhichSearched() throws Exception {
        // 2 settings from 2 steps, eta 2: 2 x 2 + 1 x 4 = 8 steps; tpe: 2 trials of 4 steps.
        for (String method : List.of("random-halving", "tpe")) {
            TrainerSettings.Search search = new TrainerSettings.Search(true, method, 2, 2, 2, 24,
                    new TrainerSettings.Search.Tpe(4, 1, 0.25, 24, 1.0));
            TrainerCheckpoint checkpoint = new TrainerCheckpoint(home.resolve(method).resolve("trainer"));
            AdapterCandidate candidate = new RoundRunner(base, settings(search), checkpoint,
                    AdapterArtifact.storeUnder(home.resolve(method))).run(round("w1"), null, () -> true);

            List<String> lineage = candidate.getLineage();
            List<String> trials = lineage.stream().filter(line -> line.startsWith("search " + method + " trial "))
                    .toList();
            int steps = trials.stream().mapToInt(line -> Integer.parseInt(
                    line.replaceAll(".*: (\\d+) steps.*", "$1"))).sum();
            assertEquals(8, steps, method + ": " + lineage);
            assertEquals(method.equals("tpe") ? 2 : 3, trials.size(), lineage.toString());
            String summary = lineage.stream().filter(line -> line.startsWith("search " + method + ": ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no summary line: " + lineage));
            assertTrue(summary.contains("on 24 examples; chose {learningRate="), summary);
            String chosen = summary.replaceAll(".*chose \\{learningRate=([^,]+),.*", "$1");
            assertEquals(Double.parseDouble(chosen),
                    Double.parseDouble(candidate.getHyperparameters().get("learningRate")),
                    "the round trains with the chosen learning rate");
        }
    }

    @Test
    void aTasksOverrideTurnsAugmentationOnAndTheLineageCountsTheCopies() throws Exception {
        // Configured off, swap and deletion only: no dictionary needed.
        TrainerSettings.Augmentation off = new TrainerSettings.Augmentation(false, 4, 0, 0, 0.2, 0.2,
                home.resolve("no-wordnet").toString());
        TaskDefinition augmented = TaskDefinition.newBuilder(INTENTS).setTrainingOverrides(Map.of("max-steps", "6",
                "evaluate-every-steps", "3", "validation-sample", "6", "augmentation-enabled", "true",
                "augmentation-copies", "1")).build();
        AdapterCandidate candidate = new RoundRunner(base, settings(SyntheticTasks.settings(true, true).search(),
                off), new TrainerCheckpoint(home.resolve("trainer")), AdapterArtifact.storeUnder(home))
                .run(round("w1", augmented), null, () -> true);
        List<String> lineage = candidate.getLineage();
        String line = lineage.stream().filter(l -> l.startsWith("augmentation (EDA) 1 copies per example by"))
                .findFirst().orElseThrow(() -> new AssertionError(lineage.toString()));
        assertTrue(line.contains("random-swap 0.2") && line.contains("random-deletion 0.2")
                && line.matches(".*: \\d+ augmented examples added to 48 training examples.*"), line);
        assertTrue(lineage.stream().anyMatch(l -> l.startsWith("task overrides ") && l.contains(
                "augmentation-enabled=true")), lineage.toString());
    }

    @Test
    void aTaskThatTurnsOnSynonymsWithoutADictionaryTrainsWithoutAugmentationAndSaysWhy() throws Exception {
        TrainerSettings.Augmentation synonyms = new TrainerSettings.Augmentation(false, 4, 0.1, 0.1, 0.1, 0.1,
                home.resolve("no-wordnet").toString());
        TaskDefinition augmented = TaskDefinition.newBuilder(INTENTS).setTrainingOverrides(Map.of("max-steps", "3",
                "evaluate-every-steps", "3", "validation-sample", "6", "augmentation-enabled", "true")).build();
        AdapterCandidate candidate = new RoundRunner(base, settings(SyntheticTasks.settings(true, true).search(),
                synonyms), new TrainerCheckpoint(home.resolve("trainer")), AdapterArtifact.storeUnder(home))
                .run(round("w1", augmented), null, () -> true);
        assertTrue(candidate.getLineage().stream().anyMatch(l -> l.startsWith("augmentation off: no WordNet")
                && l.contains("no-wordnet") && l.contains("apt-get install wordnet-base")),
                candidate.getLineage().toString());
        assertThrows(IllegalStateException.class, () -> RoundRunner.checkAugmentation(synonyms.with(true, 4)),
                "configured on for every task, a missing dictionary stops the trainer at start-up");
        RoundRunner.checkAugmentation(new TrainerSettings.Augmentation(true, 4, 0, 0, 0.1, 0.1,
                home.resolve("no-wordnet").toString())); // swap and deletion need none
    }

    @Test
    void aCheckpointOfAnotherOptimizerIsDiscardedAndTheRoundRestarts() throws Exception {
        TrainerCheckpoint checkpoint = new TrainerCheckpoint(home.resolve("trainer"));
        Path store = AdapterArtifact.storeUnder(home);
        AtomicInteger steps = new AtomicInteger();
        assertThrows(ConsumerLoop.StopRequested.class, () -> new RoundRunner(base, settings(), checkpoint, store)
                .run(round("w1"), null, () -> steps.incrementAndGet() < 3));
        assertEquals("adamw", checkpoint.round("intents").orElseThrow().optimizer().method());

        // The task now asks for SGD: AdamW's moments cannot continue under it, so the round starts again.
        TaskDefinition sgd = TaskDefinition.newBuilder(INTENTS).setTrainingOverrides(Map.of("max-steps", "6",
                "evaluate-every-steps", "3", "validation-sample", "6", "optimizer", "sgd", "learning-rate", "0.02"))
                .build();
        AdapterCandidate candidate = new RoundRunner(base, settings(), checkpoint, store)
                .run(round("w1", sgd), null, () -> true);
        assertTrue(candidate.getLineage().contains("checkpoint of optimizer adamw discarded (now sgd)"),
                candidate.getLineage().toString());
        assertTrue(candidate.getLineage().stream().noneMatch(line -> line.startsWith("resumed after")));
        assertEquals("sgd", candidate.getHyperparameters().get("optimizer"));
        assertEquals(6.0, candidate.getValidationMetrics().get("steps"), "all six steps, from the start");
    }

    private static TrainerSettings settings() {
        return settings(SyntheticTasks.settings(true, true).search());
    }

    private static TrainerSettings settings(TrainerSettings.Search search) {
        return settings(search, SyntheticTasks.settings(true, true).augmentation());
    }

    private static TrainerSettings settings(TrainerSettings.Search search, TrainerSettings.Augmentation augmentation) {
        TrainerSettings s = SyntheticTasks.settings(true, true);
        return new TrainerSettings(s.groupId(), s.home(), 1, 100, s.frozenLayerCacheMb(), s.strategies(), s.hyperparameters(), s.replay(),
                s.ewc(), s.lwf(), s.weightAligning(), s.joint(), search, augmentation);
    }

    private static WorkQueue.DueRound round(String windowId) {
        return round(windowId, INTENTS);
    }

    private static WorkQueue.DueRound round(String windowId, TaskDefinition definition) {
        TrainingWindow manifest = TrainingWindow.newBuilder().setWindowId(windowId).setTask("intents").setSequence(1)
                .setStart(Instant.EPOCH).setEnd(Instant.EPOCH).setClosedAt(Instant.EPOCH)
                .setCloseReason(WindowCloseReason.COUNT).setTrainCount(48).setValidationCount(9).setTestCount(0)
                .setLabelHistogram(Map.of()).setSliceHistogram(Map.of()).setImbalanceRatio(1)
                .setLengthHistogram(List.of()).setLengthBucketBounds(List.of()).setMeanLength(8)
                .setTopTokens(Map.of()).build();
        WindowAssembler.Window window = new WindowAssembler.Window(manifest,
                SyntheticIntents.examples("intents", windowId, LABELS, 48, 1, Split.TRAIN),
                SyntheticIntents.examples("intents", windowId, LABELS, 9, 2, Split.VALIDATION));
        return new WorkQueue.DueRound("intents", definition, List.of(window), "-@v2");
    }
}
