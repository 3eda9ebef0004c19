package dev.streamtune.evaluator.deadletters;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.streamtune.contract.ReasonCode;
import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.schema.OpenLabelPolicy;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.schema.TaskState;

/**
 * The open-label decision, without a broker: counts the distinct examples waiting as {@code UNKNOWN_LABEL} dead
 * letters per task and label, and says which labels a task's definition lets in now. Labels match the way ingest
 * matches them (ignoring case and surrounding blanks); a label is added in the spelling first seen.
 *
 * <p>Examples are counted by id, not by dead letter: a replay sends every waiting example of the task back, and
 * those of labels still unknown are dead-lettered again with the same id, so counting dead letters would count
 * them twice. Memory is bounded: at most {@code idsPerLabel} ids per label (a label past that is eligible for any
 * threshold up to it) and {@code labelsPerTask} labels per task (later ones are ignored and counted).
 */
public final class OpenLabelTally {

    /** What one dead letter was to the tally. */
    public enum Counted {
        /** An example of a label the task does not have yet: counted (or already counted under its id). */
        WAITING,
        /** An example of a label the task has now: ingest judged it before the label arrived; it needs a replay. */
        LABEL_NOW_KNOWN,
        /** Not an UNKNOWN_LABEL dead letter of a readable task and label, or over the per-task label bound. */
        IGNORED
    }

    /** What to do for one task now: labels to add, and eligible labels the cap keeps out. */
    public record Decision(List<String> add, List<String> overCap) {
        public boolean isEmpty() {
            return add.isEmpty() && overCap.isEmpty();
        }
    }

    private static final class Waiting {
        final String spelling;
        final Set<String> ids = new LinkedHashSet<>();

        Waiting(String spelling) {
            this.spelling = spelling;
        }
    }

    private final int idsPerLabel;
    private final int labelsPerTask;
    /** task -> lower-cased label -> its waiting examples, in the order labels were first seen. */
    private final Map<String, Map<String, Waiting>> waiting = new HashMap<>();
    private long ignoredLabels;

    public OpenLabelTally(int idsPerLabel, int labelsPerTask) {
        if (idsPerLabel < 1 || labelsPerTask < 1) {
            throw new IllegalArgumentException("ids per label and labels per task must be at least 1");
        }
        this.idsPerLabel = idsPerLabel;
        this.labelsPerTask = labelsPerTask;
    }

    /**
     * Counts one dead letter.
     *
     * @param reasonCode its reason code
     * @param task       the task ingest read from it (null when it could not)
     * @param label      the label ingest read from it (null when it could not)
     * @param id         the example's id ({@link OriginalRecord#idOf})
     * @param definition the task as defined now (null when it is not)
     */
    public Counted count(String reasonCode, String task, String label, String id, TaskDefinition definition) {
        if (!ReasonCode.UNKNOWN_LABEL.name().equals(reasonCode) || task == null || label == null
                || label.isBlank() || id == null) {
            return Counted.IGNORED;
        }
        String spelling = label.strip();
        String key = spelling.toLowerCase(Locale.ROOT);
        if (definition != null && known(definition, key)) {
            Map<String, Waiting> labels = waiting.get(task);
            if (labels != null) {
                labels.remove(key); // added: its examples now wait for a replay, not for more examples
            }
            return Counted.LABEL_NOW_KNOWN;
        }
        Map<String, Waiting> labels = waiting.computeIfAbsent(task, t -> new LinkedHashMap<>());
        Waiting entry = labels.get(key);
        if (entry == null) {
            if (labels.size() >= labelsPerTask) {
                ignoredLabels++;
                return Counted.IGNORED;
            }
            entry = new Waiting(spelling);
            labels.put(key, entry);
        }
        if (entry.ids.size() < idsPerLabel) {
            entry.ids.add(id);
        }
        return Counted.WAITING;
    }

    /**
     * Which waiting labels {@code definition} lets in now: those with at least {@code openLabels.minExamples}
     * distinct examples, in the order they were first seen, as many as fit under {@code openLabels.maxLabels} (and
     * the catalogue's own cap); the other eligible ones are {@code overCap}. Nothing for a task without open labels
     * or a retired one.
     */
    public Decision decide(TaskDefinition definition) {
        OpenLabelPolicy policy = definition.getOpenLabels();
        Map<String, Waiting> labels = waiting.get(definition.getTask());
        if (policy == null || definition.getState() == TaskState.RETIRED || labels == null) {
            return new Decision(List.of(), List.of());
        }
        int threshold = Math.min(policy.getMinExamples(), idsPerLabel);
        int room = Math.max(0, Math.min(policy.getMaxLabels(), TaskCatalogue.MAX_LABELS)
                - definition.getLabels().size());
        List<String> add = new ArrayList<>();
        List<String> overCap = new ArrayList<>();
        for (Map.Entry<String, Waiting> entry : labels.entrySet()) {
            if (entry.getValue().ids.size() < threshold || known(definition, entry.getKey())) {
                continue;
            }
            (add.size() < room ? add : overCap).add(entry.getValue().spelling);
        }
        return new Decision(List.copyOf(add), List.copyOf(overCap));
    }

    /** Forgets the waiting examples of labels {@code definition} has now: they wait for a replay, not for a label. */
    public void settle(TaskDefinition definition) {
        Map<String, Waiting> labels = waiting.get(definition.getTask());
        if (labels != null) {
            labels.keySet().removeIf(key -> known(definition, key));
        }
    }

    /** Distinct waiting examples per label of a task (up to the per-label bound), in first-seen order. */
    public Map<String, Integer> waiting(String task) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        waiting.getOrDefault(task, Map.of()).values().forEach(w -> counts.put(w.spelling, w.ids.size()));
        return counts;
    }

    /** Labels not tracked because a task already had {@code labelsPerTask} waiting labels. */
    public long ignoredLabels() {
        return ignoredLabels;
    }

    private static boolean known(TaskDefinition definition, String lowerCased) {
        return definition.getLabels().stream().anyMatch(l -> l.toLowerCase(Locale.ROOT).equals(lowerCased));
    }
}
