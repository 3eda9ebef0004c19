package dev.streamtune.ingest.config;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.schema.TaskDefinition;

/**
 * The rules of every task of one catalogue snapshot, built once when the snapshot is new ({@link LiveRulebook}):
 * what the steps look up per record. Immutable.
 */
public final class TaskRulebook {

    private final TaskCatalogue catalogue;
    private final IngestSettings.Defaults shared;
    private final Map<String, TaskRules> rules;

    private TaskRulebook(TaskCatalogue catalogue, IngestSettings.Defaults shared) {
        this.catalogue = catalogue;
        this.shared = shared;
        Map<String, TaskRules> byTask = new TreeMap<>();
        for (TaskDefinition definition : catalogue.all()) {
            byTask.put(definition.getTask(), TaskRules.of(definition, shared));
        }
        this.rules = Map.copyOf(byTask);
    }

    public static TaskRulebook of(TaskCatalogue catalogue, IngestSettings.Defaults shared) {
        return new TaskRulebook(catalogue, shared);
    }

    /** The snapshot these rules come from. */
    public TaskCatalogue catalogue() {
        return catalogue;
    }

    /** The task's rules; empty when the catalogue does not define it (UNKNOWN_TASK). */
    public Optional<TaskRules> find(String task) {
        return Optional.ofNullable(rules.get(task));
    }

    /**
     * The task's rules, or the built-in policies of a new task when the catalogue does not define it. Steps after
     * validation use this: a record already admitted keeps flowing whatever happens to the catalogue meanwhile (a
     * compacted topic could lose a task to a tombstone written by hand).
     */
    public TaskRules rulesOrDefault(String task) {
        TaskRules found = rules.get(task);
        return found != null ? found : TaskRules.of(TaskCatalogue.newTask(task, List.of(), "ingest", Instant.EPOCH),
                shared); // rare path: a small allocation is fine
    }

    /** The defined tasks' names, sorted. */
    public Collection<String> tasks() {
        return new TreeMap<>(rules).keySet();
    }
}
