package dev.streamtune.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.schema.TaskState;

class TaskCatalogueTest {

    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

    private static TaskDefinition intents(String... labels) {
        return TaskCatalogue.newTask("intents", List.of(labels), "alice", T0);
    }

    private static TaskDefinition withLabels(TaskDefinition current, String... labels) {
        return TaskCatalogue.nextVersion(current, "bob", T0.plusSeconds(60), "labels").setLabels(List.of(labels))
                .build();
    }

    @Test
    void aNewTaskIsVersionOneAndActive() {
        TaskCatalogue catalogue = TaskCatalogue.of(intents("refund", "upgrade"));
        assertEquals(List.of("refund", "upgrade"), catalogue.labels("intents"));
        assertTrue(catalogue.isActive("intents"));
        assertEquals(1, catalogue.find("intents").orElseThrow().getVersion());
    }

    @Test
    void appendedLabelsAreApplied() {
        TaskDefinition v1 = intents("refund", "upgrade");
        TaskCatalogue catalogue = TaskCatalogue.of(v1, withLabels(v1, "refund", "upgrade", "cancel"));
        assertEquals(List.of("refund", "upgrade", "cancel"), catalogue.labels("intents"));
    }

    @Test
    void aRemovedOrReorderedLabelIsRefusedAndTheCatalogueKeepsItsVersion() {
        TaskDefinition v1 = intents("refund", "upgrade");
        TaskCatalogue catalogue = TaskCatalogue.of(v1);
        assertSame(catalogue, catalogue.apply(withLabels(v1, "refund")));
        assertSame(catalogue, catalogue.apply(withLabels(v1, "upgrade", "refund")));
        assertTrue(TaskCatalogue.successorProblem(v1, withLabels(v1, "refund")).orElseThrow()
                .contains("removing [upgrade]"));
    }

    @Test
    void anOldVersionReplayedChangesNothing() {
        TaskDefinition v1 = intents("refund");
        TaskDefinition v2 = withLabels(v1, "refund", "cancel");
        TaskCatalogue catalogue = TaskCatalogue.of(v1, v2);
        assertSame(catalogue, catalogue.apply(v1));
    }

    @Test
    void aRetiredTaskStaysRetired() {
        TaskDefinition retired = TaskCatalogue.nextVersion(intents("refund"), "ops", T0, "retired")
                .setState(TaskState.RETIRED).build();
        TaskDefinition revived = TaskCatalogue.nextVersion(retired, "ops", T0, "resumed")
                .setState(TaskState.ACTIVE).build();
        assertTrue(TaskCatalogue.successorProblem(retired, revived).isPresent());
    }

    @Test
    void namesLabelsAndPoliciesAreChecked() {
        assertTrue(TaskCatalogue.problem(TaskCatalogue.newTask("Bad Name", List.of("a"), "x", T0)).isPresent());
        assertTrue(TaskCatalogue.problem(intents("a", "A")).orElseThrow().contains("duplicate"));
        assertTrue(TaskCatalogue.problem(intents(" padded")).isPresent());
        assertTrue(TaskCatalogue.problem(intents()).orElseThrow().contains("at least one label"));
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= TaskCatalogue.MAX_LABELS; i++) {
            many.add("l" + i);
        }
        assertTrue(TaskCatalogue.problem(intents(many.toArray(String[]::new))).orElseThrow().contains("at most"));
        TaskDefinition positive = TaskDefinition.newBuilder(intents("a")).setPositiveLabel("b").build();
        assertTrue(TaskCatalogue.problem(positive).orElseThrow().contains("positive label"));
        TaskDefinition override = TaskDefinition.newBuilder(intents("a"))
                .setGateOverrides(Map.of("max-quality-drop", 0.02, "typo", 1.0)).build();
        assertTrue(TaskCatalogue.problem(override).orElseThrow().contains("unknown gate override 'typo'"));
        assertEquals(Collections.emptyList(), TaskCatalogue.empty().labels("intents"));
    }

    @Test
    void aDefinitionRoundTripsThroughTheCodec() {
        TaskDefinition v1 = intents("refund", "upgrade");
        assertEquals(v1, Topics.TASKS.decode(Topics.TASKS.encode(v1)));
    }
}
