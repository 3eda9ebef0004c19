package dev.streamtune.ingest.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.ingest.Tasks;
import dev.streamtune.ingest.clean.PiiKind;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.schema.TaskState;
import dev.streamtune.schema.TextOverflow;
import org.junit.jupiter.api.Test;

/** The rules of a task from its definition, a rulebook per catalogue snapshot, and the live rulebook. */
class TaskRulesTest {

    private static final TaskDefinition TOPIC = Tasks.task("topic", "world", "sports", "Sci-Tech");

    @Test
    void theTasksOwnPoliciesComeFromItsDefinition() {
        TaskDefinition definition = Tasks.withPii(Tasks.withText(Tasks.withWindow(TOPIC, 40, Duration.ofSeconds(5)),
                2, 300, TextOverflow.TRUNCATE_HEAD_TAIL), "email", "ip-address");
        TaskRules rules = Tasks.rules(definition);
        assertEquals("topic", rules.task());
        assertEquals(1, rules.version());
        assertEquals(List.of("world", "sports", "Sci-Tech"), rules.labels());
        assertEquals(40, rules.windowMaxCount());
        assertEquals(Duration.ofSeconds(5), rules.windowMaxAge());
        assertEquals(2, rules.minChars());
        assertEquals(300, rules.maxChars());
        assertEquals(TextOverflow.TRUNCATE_HEAD_TAIL, rules.overflow());
        assertEquals(Set.of(PiiKind.EMAIL, PiiKind.IP_ADDRESS), rules.pii());
        assertEquals(TaskState.ACTIVE, rules.state());
        assertNull(rules.openLabels());
    }

    @Test
    void theBuiltInPoliciesOfANewTaskMaskEverythingAndTruncateAtTheHead() {
        TaskRules rules = Tasks.rules(TOPIC);
        assertEquals(Set.of(PiiKind.values()), rules.pii());
        assertEquals(TextOverflow.TRUNCATE_HEAD, rules.overflow());
        assertEquals(2000, rules.maxChars());
        assertEquals(500, rules.windowMaxCount());
    }

    @Test
    void theSharedRulesComeFromTheSettings() {
        IngestSettings.Defaults shared = IngestSettings.Defaults.builtIn().withFeedbackRatings(5, 1)
                .withEventTimeBounds(Duration.ofMinutes(1), Duration.ofDays(2));
        TaskRules rules = TaskRules.of(TOPIC, shared);
        assertEquals(5, rules.confirmMinRating());
        assertEquals(1, rules.flipMaxRating());
        assertEquals(Duration.ofMinutes(1), rules.maxFutureSkew());
        assertEquals(Duration.ofDays(2), rules.maxEventAge());
    }

    @Test
    void labelsMatchIgnoringCaseAndBlanksAndKeepTheCatalogueSpelling() {
        TaskRules rules = Tasks.rules(TOPIC);
        assertEquals(Optional.of("Sci-Tech"), rules.canonicalLabel("  sci-TECH "));
        assertEquals(Optional.empty(), rules.canonicalLabel("business"));
        assertEquals(Optional.empty(), rules.canonicalLabel("  "));
    }

    @Test
    void anOpenLabelTaskWithoutLabelsKnowsNoneYet() {
        TaskRules rules = Tasks.rules(Tasks.withOpenLabels(Tasks.task("intent"), 10, 100));
        assertEquals(List.of(), rules.labels());
        assertEquals(Optional.empty(), rules.canonicalLabel("book"));
        assertEquals(10, rules.openLabels().getMinExamples());
    }

    @Test
    void aPiiKindThisVersionDoesNotKnowMasksEverythingItKnows() {
        TaskRules rules = Tasks.rules(Tasks.withPii(TOPIC, "email", "passport-number"));
        assertEquals(Set.of(PiiKind.values()), rules.pii());
        assertEquals(Set.of(), Tasks.rules(Tasks.withPii(TOPIC)).pii(), "an empty list masks nothing");
    }

    @Test
    void retiredIsTheOnlyStateThatTurnsExamplesAway() {
        assertFalse(Tasks.rules(Tasks.inState(TOPIC, TaskState.PAUSED)).retired());
        assertTrue(Tasks.rules(Tasks.inState(TOPIC, TaskState.RETIRED)).retired());
    }

    @Test
    void aRulebookFindsDefinedTasksAndFallsBackToBuiltInPoliciesForAdmittedOnes() {
        TaskRulebook book = TaskRulebook.of(TaskCatalogue.of(TOPIC), IngestSettings.Defaults.builtIn());
        assertTrue(book.find("topic").isPresent());
        assertTrue(book.find("weather").isEmpty());
        assertEquals(List.of("topic"), new ArrayList<>(book.tasks()));
        TaskRules fallback = book.rulesOrDefault("weather");
        assertEquals("weather", fallback.task());
        assertEquals(500, fallback.windowMaxCount());
    }

    @Test
    void theLiveRulebookIsRebuiltOnlyWhenTheCatalogueMovesOn() {
        AtomicReference<TaskCatalogue> catalogue = new AtomicReference<>(TaskCatalogue.of(TOPIC));
        LiveRulebook live = new LiveRulebook(catalogue::get, IngestSettings.Defaults.builtIn());
        TaskRulebook first = live.get();
        assertSame(first, live.get(), "same snapshot: no rebuilding per record");
        catalogue.set(catalogue.get().apply(Tasks.withLabelsAdded(TOPIC, "business")));
        TaskRulebook second = live.get();
        assertNotSame(first, second);
        assertEquals(List.of("world", "sports", "Sci-Tech", "business"),
                second.find("topic").orElseThrow().labels());
    }
}
