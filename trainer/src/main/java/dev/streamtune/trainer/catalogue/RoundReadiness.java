package dev.streamtune.trainer.catalogue;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

import dev.streamtune.schema.TaskDefinition;

/**
 * Whether a task's windows may be trained now, by the task's definition in the catalogue: an active task with a
 * head of at least two labels that covers every label the round would train on is trained; a task not (yet) in the
 * catalogue, paused, or behind the examples (ingest saw a label appended before the trainer did) waits, nothing
 * lost; a retired task's windows are skipped.
 */
public sealed interface RoundReadiness {

    /** Train with this definition's labels (head layout) and overrides. */
    record Train(TaskDefinition definition) implements RoundReadiness {
    }

    /** Keep the windows and look again when the catalogue changes. */
    record Wait(String reason) implements RoundReadiness {
    }

    /** Drop the windows for good (they are released, as if trained). */
    record Skip(String reason) implements RoundReadiness {
    }

    /**
     * @param definition the task's current definition, or null when the catalogue does not have it
     * @param labelsUsed labels of the round's examples and of the task's replay buffer
     */
    static RoundReadiness of(String task, TaskDefinition definition, Collection<String> labelsUsed) {
        if (definition == null) {
            return new Wait("task " + task + " is not in the task catalogue (yet)");
        }
        String version = "task " + task + " v" + definition.getVersion();
        switch (definition.getState()) {
            case RETIRED:
                return new Skip(version + " is retired");
            case PAUSED:
                return new Wait(version + " is paused");
            default:
                break;
        }
        List<String> labels = definition.getLabels();
        if (labels.size() < 2) {
            return new Wait(version + " has " + labels.size() + " label(s); a classifier needs at least two");
        }
        TreeSet<String> unknown = new TreeSet<>(labelsUsed);
        unknown.removeAll(labels);
        if (!unknown.isEmpty()) {
            return new Wait(version + " does not have the labels " + unknown + " its examples carry (yet)");
        }
        return new Train(definition);
    }
}
