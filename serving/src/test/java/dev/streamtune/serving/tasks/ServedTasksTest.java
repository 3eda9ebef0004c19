package dev.streamtune.serving.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.contract.TextTruncation;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.schema.TaskState;
import dev.streamtune.schema.TextOverflow;
import dev.streamtune.schema.TextPolicy;
import dev.streamtune.serving.RequestRejectedException;
import dev.streamtune.serving.RequestRejectedException.Reason;
import org.junit.jupiter.api.Test;

class ServedTasksTest {

    private static final Instant AT = Instant.parse("2026-12-01T09:00:00Z");
    private static final TaskDefinition INTENTS = TaskCatalogue.newTask("intents", List.of("refund", "upgrade"),
            "test", AT);

    private final AtomicReference<TaskCatalogue> catalogue = new AtomicReference<>(TaskCatalogue.of(INTENTS));
    private final ServedTasks tasks = new ServedTasks(catalogue::get);

    private static TaskDefinition withState(TaskState state) {
        return TaskCatalogue.nextVersion(INTENTS, "alice", AT, state.name()).setState(state).build();
    }

    private static TaskDefinition withText(int maxChars, TextOverflow overflow) {
        return TaskCatalogue.nextVersion(INTENTS, "alice", AT, "text policy")
                .setText(new TextPolicy(3, maxChars, overflow, 0)).build();
    }

    @Test
    void aTaskTheCatalogueDoesNotHoldIsNotFound() {
        RequestRejectedException e = assertThrows(RequestRejectedException.class, () -> tasks.require("nope"));
        assertEquals(Reason.NOT_FOUND, e.reason());
        assertTrue(e.getMessage().contains("'nope' is not in the task catalogue"), e.getMessage());
    }

    @Test
    void aRetiredTaskIsGoneWithAMessageSayingSo() {
        catalogue.set(TaskCatalogue.of(INTENTS, withState(TaskState.RETIRED)));
        RequestRejectedException e = assertThrows(RequestRejectedException.class, () -> tasks.require("intents"));
        assertEquals(Reason.GONE, e.reason());
        assertEquals(410, e.reason().httpStatus());
        assertTrue(e.getMessage().contains("retired") && e.getMessage().contains("alice"), e.getMessage());
        assertThrows(RequestRejectedException.class, () -> tasks.labels("intents"));
    }

    @Test
    void aPausedTaskIsStillServed() {
        catalogue.set(TaskCatalogue.of(INTENTS, withState(TaskState.PAUSED)));
        assertEquals(TaskState.PAUSED, tasks.require("intents").getState());
    }

    @Test
    void aTaskCreatedOrALabelAppendedCountsAtTheNextCall() {
        TaskDefinition topics = TaskCatalogue.newTask("topics", List.of("a", "b"), "test", AT);
        TaskDefinition grown = TaskCatalogue.nextVersion(INTENTS, "alice", AT, "added labels: cancel")
                .setLabels(List.of("refund", "upgrade", "cancel")).build();
        catalogue.set(TaskCatalogue.of(INTENTS, topics, grown));
        assertEquals(List.of("a", "b"), tasks.labels("topics"));
        assertEquals(List.of("refund", "upgrade", "cancel"), tasks.labels("intents"));
    }

    @Test
    void shortTextsAreTakenAsTheyAre() {
        ServedTasks.FittedTexts fitted = ServedTasks.fit(INTENTS, List.of("refund please", "upgrade"), false);
        assertEquals(List.of("refund please", "upgrade"), fitted.texts());
        assertEquals(List.of(false, false), fitted.truncated());
        assertEquals(0, fitted.truncatedCount());
    }

    @Test
    void aLongTextIsCutToTheHeadAndFlaggedWhileTheOthersAreNot() {
        TaskDefinition task = withText(10, TextOverflow.TRUNCATE_HEAD);
        ServedTasks.FittedTexts fitted = ServedTasks.fit(task, List.of("short", "0123456789abcdef"), false);
        assertEquals(List.of("short", "0123456789"), fitted.texts());
        assertEquals(List.of(false, true), fitted.truncated());
        assertEquals(1, fitted.truncatedCount());
    }

    @Test
    void headAndTailIsCutAsIngestCutsIt() {
        TaskDefinition task = withText(12, TextOverflow.TRUNCATE_HEAD_TAIL);
        String text = "the opening words and then the very end";
        ServedTasks.FittedTexts fitted = ServedTasks.fit(task, List.of(text), true);
        assertEquals(TextTruncation.apply(text, task.getText()).text(), fitted.texts().get(0));
        assertTrue(fitted.texts().get(0).contains(TextTruncation.MARKER.strip()), fitted.texts().get(0));
        assertTrue(fitted.truncated().get(0));
    }

    @Test
    void underRejectTheCallIsRefusedNamingEveryTextOverTheLimit() {
        TaskDefinition task = withText(10, TextOverflow.REJECT);
        RequestRejectedException e = assertThrows(RequestRejectedException.class,
                () -> ServedTasks.fit(task, List.of("ok", "far too long a text", "fine", "also far too long"), false));
        assertEquals(Reason.INVALID, e.reason());
        assertTrue(e.getMessage().contains("\"texts[1]\" (19)") && e.getMessage().contains("\"texts[3]\" (17)")
                && !e.getMessage().contains("texts[0]") && e.getMessage().contains("REJECT"), e.getMessage());
        RequestRejectedException single = assertThrows(RequestRejectedException.class,
                () -> ServedTasks.fit(task, List.of("far too long a text"), true));
        assertTrue(single.getMessage().contains("\"text\" (19)"), single.getMessage());
        assertFalse(ServedTasks.fit(task, List.of("0123456789"), true).truncated().get(0));
    }

    @Test
    void labelsNotYetLearnedAreTheCatalogueLabelsTheAdapterHasNoRowFor() {
        assertEquals(List.of("cancel", "billing"), ServedTasks.notYetLearned(
                List.of("refund", "upgrade", "cancel", "billing"), List.of("refund", "upgrade")));
        assertEquals(List.of(), ServedTasks.notYetLearned(List.of("refund", "upgrade"), List.of("refund", "upgrade")));
    }
}
