package dev.streamtune.trainer.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.Split;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.schema.TaskState;
import dev.streamtune.schema.TrainingWindow;
import dev.streamtune.schema.WindowCloseReason;
import dev.streamtune.trainer.training.SyntheticIntents;
import org.junit.jupiter.api.Test;

/** When a round is due, from examples, manifests, retrain requests and the task catalogue; no broker, no model. */
class WorkQueueTest {

    private static final List<String> LABELS = SyntheticIntents.LABELS.subList(0, 2);
    private static final TaskDefinition INTENTS = TaskCatalogue.newTask("intents", LABELS, "test", Instant.EPOCH);

    private final Map<String, TaskDefinition> catalogue = new HashMap<>(Map.of("intents", INTENTS));
    private final Map<String, Set<String>> remembered = new HashMap<>();
    private final Map<String, String> approved = new HashMap<>();
    private final WorkQueue.Surroundings surroundings = new WorkQueue.Surroundings() {
        @Override
        public Optional<TaskDefinition> definition(String task) {
            return Optional.ofNullable(catalogue.get(task));
        }

        @Override
        public Set<String> rememberedLabels(String task) {
            return remembered.getOrDefault(task, Set.of());
        }

        @Override
        public String approvedAdapter(String task) {
            return approved.get(task);
        }
    };

    @Test
    void roundIsDueWhenWindowClosedAndAllItsExamplesArrived() throws Exception {
        WorkQueue queue = new WorkQueue(1);
        List<CleanExample> examples = offerExamples(queue, "w1", 4, 2);
        queue.collectCompleteWindows();
        assertTrue(queue.next(surroundings).isEmpty(), "no manifest yet");

        queue.offer(manifest("w1", 4, 2));
        queue.collectCompleteWindows();
        WorkQueue.DueRound round = queue.next(surroundings).orElseThrow();
        assertEquals(List.of("w1"), round.windowIds());
        assertEquals("cand-w1", round.candidateId());
        assertEquals(INTENTS, round.definition());
        assertEquals(4, round.windows().get(0).train().size());
        assertEquals(2, round.windows().get(0).validation().size());
        assertTrue(queue.next(surroundings).isEmpty(), "handed out once");
        assertEquals(6, examples.size());
    }

    @Test
    void roundWaitsForWindowsPerCandidateUnlessARetrainIsRequested() throws Exception {
        WorkQueue queue = new WorkQueue(2);
        closeWindow(queue, "w1");
        assertTrue(queue.next(surroundings).isEmpty(), "one window of two");

        queue.requestRetrain("intents");
        assertEquals(List.of("w1"), queue.next(surroundings).orElseThrow().windowIds());

        closeWindow(queue, "w2");
        assertTrue(queue.next(surroundings).isEmpty(), "the request was used up");
        closeWindow(queue, "w3");
        assertEquals(List.of("w2", "w3"), queue.next(surroundings).orElseThrow().windowIds());
    }

    @Test
    void trainedWindowsAreNotAssembledAgain() throws Exception {
        WorkQueue queue = new WorkQueue(1);
        closeWindow(queue, "w1");
        queue.trained(queue.next(surroundings).orElseThrow());

        assertTrue(queue.trainedWindows().contains("w1"));
        assertFalse(queue.offer(example("w1", 0, Split.TRAIN)), "a re-read example of a trained window");
        assertFalse(queue.offer(manifest("w1", 1, 0)));
    }

    @Test
    void windowWithoutTrainingExamplesCountsAsTrainedWithoutARound() throws Exception {
        WorkQueue queue = new WorkQueue(1);
        queue.offer(example("w1", 0, Split.VALIDATION));
        queue.offer(manifest("w1", 0, 1));
        queue.collectCompleteWindows();

        assertTrue(queue.next(surroundings).isEmpty());
        assertTrue(queue.trainedWindows().contains("w1"));
    }

    @Test
    void taskNotInTheCatalogueIsHeldUntilItIsDefined() throws Exception {
        catalogue.clear();
        WorkQueue queue = new WorkQueue(1);
        closeWindow(queue, "w1");

        assertTrue(queue.next(surroundings).isEmpty());
        assertTrue(queue.heldTasks().get("intents").contains("not in the task catalogue"), queue.heldTasks().toString());

        catalogue.put("intents", INTENTS);
        assertEquals(List.of("w1"), queue.next(surroundings).orElseThrow().windowIds());
    }

    @Test
    void roundWaitsWhenTheRememberedLabelsAreNotInTheDefinition() throws Exception {
        remembered.put("intents", Set.of("unknown-label"));
        WorkQueue queue = new WorkQueue(1);
        closeWindow(queue, "w1");

        assertTrue(queue.next(surroundings).isEmpty());
        assertTrue(queue.heldTasks().get("intents").contains("unknown-label"), queue.heldTasks().toString());
    }

    @Test
    void retiredTaskWindowsAreDroppedAsTrained() throws Exception {
        catalogue.put("intents", TaskCatalogue.nextVersion(INTENTS, "op", Instant.EPOCH, "retired")
                .setState(TaskState.RETIRED).build());
        WorkQueue queue = new WorkQueue(1);
        closeWindow(queue, "w1");

        assertTrue(queue.next(surroundings).isEmpty());
        assertTrue(queue.trainedWindows().contains("w1"));
    }

    @Test
    void refusedRoundIsRetriedOnlyWhenTheApprovedAdapterOrDefinitionChanges() throws Exception {
        WorkQueue queue = new WorkQueue(1);
        closeWindow(queue, "w1");
        WorkQueue.DueRound round = queue.next(surroundings).orElseThrow();
        queue.refused(round, "labels not a prefix");

        assertTrue(queue.next(surroundings).isEmpty(), "same adapter, same definition");
        assertTrue(queue.heldTasks().get("intents").contains("round refused: labels not a prefix"));
        assertFalse(queue.trainedWindows().contains("w1"), "a refused round's windows wait");

        approved.put("intents", "cand-w0");
        assertEquals(List.of("w1"), queue.next(surroundings).orElseThrow().windowIds());
    }

    @Test
    void forgettingDropsInMemoryWorkButKeepsTrainedWindows() throws Exception {
        WorkQueue queue = new WorkQueue(1);
        closeWindow(queue, "w1");
        queue.trained(queue.next(surroundings).orElseThrow());
        offerExamples(queue, "w2", 2, 1);

        queue.forget();
        queue.offer(manifest("w2", 2, 1));
        queue.collectCompleteWindows();
        assertTrue(queue.next(surroundings).isEmpty(), "w2's examples were forgotten; the new owner re-reads them");
        assertTrue(queue.trainedWindows().contains("w1"));
    }

    private static void closeWindow(WorkQueue queue, String windowId) {
        offerExamples(queue, windowId, 2, 1);
        queue.offer(manifest(windowId, 2, 1));
        queue.collectCompleteWindows();
    }

    private static List<CleanExample> offerExamples(WorkQueue queue, String windowId, int train, int validation) {
        List<CleanExample> examples = new ArrayList<>();
        for (int i = 0; i < train + validation; i++) {
            CleanExample example = example(windowId, i, i < train ? Split.TRAIN : Split.VALIDATION);
            assertTrue(queue.offer(example));
            examples.add(example);
        }
        return examples;
    }

    private static CleanExample example(String windowId, int i, Split split) {
        CleanExample example = SyntheticIntents.examples("intents", windowId, LABELS, 1, i + 1, split).get(0);
        example.setWindowId(windowId);
        return example;
    }

    private static TrainingWindow manifest(String windowId, int train, int validation) {
        return TrainingWindow.newBuilder().setWindowId(windowId).setTask("intents").setSequence(1)
                .setStart(Instant.EPOCH).setEnd(Instant.EPOCH).setClosedAt(Instant.EPOCH)
                .setCloseReason(WindowCloseReason.COUNT).setTrainCount(train).setValidationCount(validation)
                .setTestCount(0).setLabelHistogram(Map.of()).setSliceHistogram(Map.of()).setImbalanceRatio(1)
                .setLengthHistogram(List.of()).setLengthBucketBounds(List.of()).setMeanLength(8)
                .setTopTokens(Map.of()).build();
    }
}
