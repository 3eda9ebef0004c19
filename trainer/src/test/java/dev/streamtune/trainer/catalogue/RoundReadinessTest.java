package dev.streamtune.trainer.catalogue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.schema.OpenLabelPolicy;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.schema.TaskState;
import org.junit.jupiter.api.Test;

class RoundReadinessTest {

    private static final TaskDefinition INTENTS = TaskCatalogue.newTask("intents", List.of("book", "cancel"), "test",
            Instant.EPOCH);

    @Test
    void anActiveTaskWhoseLabelsCoverTheRoundIsTrainedWithItsDefinition() {
        RoundReadiness readiness = RoundReadiness.of("intents", INTENTS, Set.of("book", "cancel"));
        assertEquals(INTENTS, assertInstanceOf(RoundReadiness.Train.class, readiness).definition());
    }

    @Test
    void aTaskNotInTheCatalogueWaits() {
        RoundReadiness.Wait wait = assertInstanceOf(RoundReadiness.Wait.class,
                RoundReadiness.of("intents", null, Set.of("book")));
        assertTrue(wait.reason().contains("not in the task catalogue"), wait.reason());
    }

    @Test
    void aPausedTaskWaits() {
        TaskDefinition paused = TaskCatalogue.nextVersion(INTENTS, "op", Instant.EPOCH, "paused")
                .setState(TaskState.PAUSED).build();
        RoundReadiness.Wait wait = assertInstanceOf(RoundReadiness.Wait.class,
                RoundReadiness.of("intents", paused, Set.of("book")));
        assertTrue(wait.reason().contains("v2 is paused"), wait.reason());
    }

    @Test
    void aRetiredTaskIsSkipped() {
        TaskDefinition retired = TaskCatalogue.nextVersion(INTENTS, "op", Instant.EPOCH, "retired")
                .setState(TaskState.RETIRED).build();
        assertInstanceOf(RoundReadiness.Skip.class, RoundReadiness.of("intents", retired, Set.of("book")));
    }

    @Test
    void examplesOfALabelTheTrainerDoesNotKnowYetWait() {
        RoundReadiness.Wait wait = assertInstanceOf(RoundReadiness.Wait.class,
                RoundReadiness.of("intents", INTENTS, Set.of("book", "refund")));
        assertTrue(wait.reason().contains("[refund]"), wait.reason());
    }

    @Test
    void anOpenLabelTaskWithFewerThanTwoLabelsWaits() {
        TaskDefinition open = TaskDefinition.newBuilder(INTENTS).setLabels(List.of("book"))
                .setOpenLabels(new OpenLabelPolicy(5, 10)).build();
        RoundReadiness.Wait wait = assertInstanceOf(RoundReadiness.Wait.class,
                RoundReadiness.of("intents", open, Set.of("book")));
        assertTrue(wait.reason().contains("at least two"), wait.reason());
    }
}
