package dev.streamtune.evaluator.catalogue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.evaluator.catalogue.TaskChangeRefused.Reason;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.schema.TaskState;
import dev.streamtune.schema.TextOverflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class TaskCatalogueCommandsTest {

    private static final Instant AT = Instant.parse("2026-12-01T09:00:00Z");
    private static final TaskDefinition INTENTS = TaskCatalogue.newTask("intents", List.of("refund", "upgrade"),
            "alice", AT.minusSeconds(60));
    private static final TaskCatalogue CATALOGUE = TaskCatalogue.of(INTENTS);

    @Test
    void createGivesVersionOneWithTheDefaultsAndTheGivenPolicies() {
        NewTask task = new NewTask("topic", List.of("world", "sports"), "sports",
                new TaskPolicies.Window(1000, null), new TaskPolicies.Text(null, 4000, "truncate-head-tail", null),
                List.of("email"), null, Map.of("max-quality-drop", 0.02), Map.of("epochs", "2"));
        TaskDefinition created = TaskCatalogueCommands.create(CATALOGUE, task, "bob", AT);

        assertEquals(1, created.getVersion());
        assertEquals(List.of("world", "sports"), created.getLabels());
        assertEquals("sports", created.getPositiveLabel());
        assertEquals(1000, created.getWindow().getMaxCount());
        assertEquals(60_000, created.getWindow().getMaxAgeMillis(), "unset parts keep the default");
        assertEquals(4000, created.getText().getMaxChars());
        assertEquals(3, created.getText().getMinChars());
        assertEquals(TextOverflow.TRUNCATE_HEAD_TAIL, created.getText().getOverflow());
        assertEquals(List.of("email"), created.getPii());
        assertEquals(Map.of("max-quality-drop", 0.02), created.getGateOverrides());
        assertEquals(Map.of("epochs", "2"), created.getTrainingOverrides());
        assertEquals("bob", created.getChangedBy());
        assertEquals(AT, created.getChangedAt());
        assertEquals(TaskState.ACTIVE, created.getState());
    }

    @Test
    void createRefusesAnInvalidNameAnExistingTaskAndAMissingLabelList() {
        assertRefused(Reason.INVALID, () -> create(NewTask.of("Bad Name", List.of("a"))));
        assertRefused(Reason.INVALID, () -> create(NewTask.of(null, List.of("a"))));
        assertRefused(Reason.TASK_EXISTS, () -> create(NewTask.of("intents", List.of("a"))));
        assertRefused(Reason.INVALID, () -> create(NewTask.of("fresh", null)));
    }

    @Test
    void aRetiredTasksNameIsNotReused() {
        TaskCatalogue retired = CATALOGUE.apply(TaskCatalogueCommands.retire(CATALOGUE, "intents", "alice", AT));
        TaskChangeRefused refused = assertRefused(Reason.TASK_EXISTS,
                () -> TaskCatalogueCommands.create(retired, NewTask.of("intents", List.of("a")), "bob", AT));
        assertTrue(refused.getMessage().contains("retired"), refused.getMessage());
    }

    @Test
    void createRefusesDuplicateLabelsInvalidLabelsAndTooManyLabels() {
        assertRefused(Reason.DUPLICATE_LABEL, () -> create(NewTask.of("fresh", List.of("a", "b", "A"))));
        assertRefused(Reason.INVALID, () -> create(NewTask.of("fresh", List.of("a", " b"))));
        List<String> tooMany = IntStream.rangeClosed(0, TaskCatalogue.MAX_LABELS).mapToObj(i -> "l" + i).toList();
        assertRefused(Reason.TOO_MANY_LABELS, () -> create(NewTask.of("fresh", tooMany)));
    }

    @Test
    void createRefusesUnknownOverrideKeysAndInvalidPolicies() {
        assertRefused(Reason.INVALID, () -> create(new NewTask("fresh", List.of("a"), null, null, null, null, null,
                Map.of("max-everything", 1.0), null)));
        assertRefused(Reason.INVALID, () -> create(new NewTask("fresh", List.of("a"), null, null, null, null, null,
                null, Map.of("rank", "16"))));
        assertRefused(Reason.INVALID, () -> create(new NewTask("fresh", List.of("a"), "b", null, null, null, null,
                null, null)));
        assertRefused(Reason.INVALID, () -> create(new NewTask("fresh", List.of("a"), null,
                new TaskPolicies.Window(0, 0L), null, null, null, null, null)));
        assertRefused(Reason.INVALID, () -> create(new NewTask("fresh", List.of("a"), null, null,
                new TaskPolicies.Text(null, null, "chop", null), null, null, null, null)));
        assertRefused(Reason.INVALID, () -> create(new NewTask("fresh", List.of("a"), null, null, null,
                List.of("shoe-size"), null, null, null)));
    }

    @Test
    void addLabelsAppendsInOrderAsTheNextVersion() {
        TaskDefinition next = TaskCatalogueCommands.addLabels(CATALOGUE, "intents", List.of("cancel", "billing"),
                "carol", AT);
        assertEquals(2, next.getVersion());
        assertEquals(List.of("refund", "upgrade", "cancel", "billing"), next.getLabels());
        assertEquals("carol", next.getChangedBy());
        assertEquals("added labels: cancel, billing", next.getChange());
        assertNull(next.getSignature(), "the writer signs what it writes");
    }

    @Test
    void addLabelsRefusesUnknownTasksPresentOrRepeatedLabelsAndTheCap() {
        assertRefused(Reason.UNKNOWN_TASK, () -> addLabels("nope", List.of("a")));
        assertRefused(Reason.DUPLICATE_LABEL, () -> addLabels("intents", List.of("Refund")));
        assertRefused(Reason.DUPLICATE_LABEL, () -> addLabels("intents", List.of("cancel", "cancel")));
        assertRefused(Reason.INVALID, () -> addLabels("intents", List.of()));
        assertRefused(Reason.INVALID, () -> addLabels("intents", null));
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < TaskCatalogue.MAX_LABELS - 1; i++) {
            labels.add("l" + i);
        }
        assertRefused(Reason.TOO_MANY_LABELS, () -> addLabels("intents", labels));
    }

    @Test
    void twoChangesInARowGiveConsecutiveVersions() {
        TaskCatalogue catalogue = CATALOGUE.apply(TaskCatalogueCommands.addLabels(CATALOGUE, "intents",
                List.of("cancel"), "a", AT));
        TaskDefinition third = TaskCatalogueCommands.addLabels(catalogue, "intents", List.of("billing"), "b", AT);
        assertEquals(3, third.getVersion());
        assertEquals(List.of("refund", "upgrade", "cancel", "billing"), third.getLabels());
    }

    @Test
    void changeMergesOverridesAndANullValueRemovesOne() {
        TaskDefinition withOverrides = TaskCatalogueCommands.change(CATALOGUE, "intents",
                new TaskPolicies(null, null, null, null, null, Map.of("max-quality-drop", 0.02,
                        "max-canary-disagreement", 0.4), null), "a", AT);
        TaskCatalogue catalogue = CATALOGUE.apply(withOverrides);
        Map<String, Double> removeOne = new HashMap<>();
        removeOne.put("max-quality-drop", null);
        removeOne.put("min-test-examples", 50.0);
        TaskDefinition next = TaskCatalogueCommands.change(catalogue, "intents",
                new TaskPolicies(null, null, null, null, null, removeOne, null), "a", AT);
        assertEquals(Map.of("max-canary-disagreement", 0.4, "min-test-examples", 50.0), next.getGateOverrides());
        assertEquals(3, next.getVersion());
    }

    @Test
    void changeSetsAndClearsThePositiveLabel() {
        TaskDefinition set = TaskCatalogueCommands.change(CATALOGUE, "intents",
                new TaskPolicies("refund", null, null, null, null, null, null), "a", AT);
        assertEquals("refund", set.getPositiveLabel());
        TaskDefinition cleared = TaskCatalogueCommands.change(CATALOGUE.apply(set), "intents",
                new TaskPolicies("", null, null, null, null, null, null), "a", AT);
        assertNull(cleared.getPositiveLabel());
        assertRefused(Reason.INVALID, () -> TaskCatalogueCommands.change(CATALOGUE, "intents",
                new TaskPolicies("cancel", null, null, null, null, null, null), "a", AT));
    }

    @Test
    void changeTurnsOpenLabelsOnAndOff() {
        TaskDefinition on = TaskCatalogueCommands.change(CATALOGUE, "intents", new TaskPolicies(null, null, null,
                null, new TaskPolicies.OpenLabels(null, 20, 50), null, null), "a", AT);
        assertEquals(20, on.getOpenLabels().getMinExamples());
        TaskDefinition off = TaskCatalogueCommands.change(CATALOGUE.apply(on), "intents", new TaskPolicies(null,
                null, null, null, new TaskPolicies.OpenLabels(false, null, null), null, null), "a", AT);
        assertNull(off.getOpenLabels());
        assertRefused(Reason.INVALID, () -> TaskCatalogueCommands.change(CATALOGUE, "intents",
                new TaskPolicies(null, null, null, null, new TaskPolicies.OpenLabels(true, 20, null), null, null),
                "a", AT));
    }

    @Test
    void changeRefusesAnEmptyChangeAndAnUnknownTask() {
        assertRefused(Reason.INVALID, () -> TaskCatalogueCommands.change(CATALOGUE, "intents", TaskPolicies.NONE,
                "a", AT));
        assertRefused(Reason.UNKNOWN_TASK, () -> TaskCatalogueCommands.change(CATALOGUE, "nope",
                new TaskPolicies("x", null, null, null, null, null, null), "a", AT));
    }

    @Test
    void pauseResumeAndRetireMoveTheStateOnceEach() {
        TaskDefinition paused = TaskCatalogueCommands.pause(CATALOGUE, "intents", "a", AT);
        assertEquals(TaskState.PAUSED, paused.getState());
        TaskCatalogue catalogue = CATALOGUE.apply(paused);
        assertRefused(Reason.STATE_CONFLICT, () -> TaskCatalogueCommands.pause(catalogue, "intents", "a", AT));
        assertRefused(Reason.STATE_CONFLICT, () -> TaskCatalogueCommands.resume(CATALOGUE, "intents", "a", AT));
        TaskDefinition resumed = TaskCatalogueCommands.resume(catalogue, "intents", "a", AT);
        assertEquals(TaskState.ACTIVE, resumed.getState());
        assertEquals(3, resumed.getVersion());
    }

    @Test
    void aRetiredTaskCannotBeChangedAnyMore() {
        TaskCatalogue retired = CATALOGUE.apply(TaskCatalogueCommands.retire(CATALOGUE, "intents", "a", AT));
        assertRefused(Reason.STATE_CONFLICT, () -> TaskCatalogueCommands.addLabels(retired, "intents",
                List.of("x"), "a", AT));
        assertRefused(Reason.STATE_CONFLICT, () -> TaskCatalogueCommands.resume(retired, "intents", "a", AT));
        assertRefused(Reason.STATE_CONFLICT, () -> TaskCatalogueCommands.retire(retired, "intents", "a", AT));
        assertRefused(Reason.STATE_CONFLICT, () -> TaskCatalogueCommands.change(retired, "intents",
                new TaskPolicies("refund", null, null, null, null, null, null), "a", AT));
    }

    @Test
    void whoChangedItMustBeAShortName() {
        assertRefused(Reason.INVALID, () -> TaskCatalogueCommands.pause(CATALOGUE, "intents", " ", AT));
        assertRefused(Reason.INVALID, () -> TaskCatalogueCommands.pause(CATALOGUE, "intents", "x\ny", AT));
        assertRefused(Reason.INVALID, () -> TaskCatalogueCommands.pause(CATALOGUE, "intents", "x".repeat(101), AT));
    }

    @Test
    void bootstrapWritesOnlyTheTasksTheCatalogueLacks() {
        List<TaskDefinition> missing = TaskCatalogueCommands.bootstrap(CATALOGUE, List.of(
                NewTask.of("intents", List.of("completely", "different")), NewTask.of("sentiment",
                        List.of("negative", "positive"))), AT);
        assertEquals(List.of("sentiment"), missing.stream().map(TaskDefinition::getTask).toList());
        assertEquals(TaskCatalogueCommands.BOOTSTRAP, missing.get(0).getChangedBy());
    }

    @Test
    void anInvalidConfiguredTaskIsRefusedEvenWhenTheCatalogueHasIt() {
        assertRefused(Reason.DUPLICATE_LABEL, () -> TaskCatalogueCommands.bootstrap(CATALOGUE,
                List.of(NewTask.of("intents", List.of("a", "a"))), AT));
    }

    @Test
    void everyResultIsAValidSuccessorForReaders() {
        TaskDefinition next = TaskCatalogueCommands.addLabels(CATALOGUE, "intents", List.of("cancel"), "a", AT);
        assertTrue(CATALOGUE.apply(next) != CATALOGUE);
    }

    private static TaskDefinition create(NewTask task) {
        return TaskCatalogueCommands.create(CATALOGUE, task, "bob", AT);
    }

    private static TaskDefinition addLabels(String task, List<String> labels) {
        return TaskCatalogueCommands.addLabels(CATALOGUE, task, labels, "bob", AT);
    }

    private static TaskChangeRefused assertRefused(Reason reason, Executable command) {
        TaskChangeRefused refused = assertThrows(TaskChangeRefused.class, command);
        assertEquals(reason, refused.reason(), refused.getMessage());
        return refused;
    }
}
