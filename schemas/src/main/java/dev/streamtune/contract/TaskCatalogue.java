package dev.streamtune.contract;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.schema.TaskState;
import dev.streamtune.schema.TextOverflow;
import dev.streamtune.schema.TextPolicy;
import dev.streamtune.schema.WindowPolicy;

/**
 * The tasks as last defined on the {@code tasks} topic: an immutable snapshot, so a reader can hold one for a
 * whole window or request while the catalogue moves on. {@link #apply} gives the next snapshot.
 *
 * <p>Readers apply a definition only when it is a valid successor of the one they hold (a higher version whose
 * labels extend the old ones in order, a retired task staying retired): labels index adapter heads, so a record
 * that reordered or dropped one would silently corrupt every adapter of the task. The writer checks the same rule
 * before it writes, with the same {@link #successorProblem} message for the API caller.
 */
public final class TaskCatalogue {

    /** Task names: lower case letters, digits, '-' and '_', starting with a letter or digit; they appear in paths. */
    public static final Pattern NAME_PATTERN = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    /** The most labels one task may have: every adapter head has a row per label. */
    public static final int MAX_LABELS = 1000;
    /** The longest label, in characters (the same bound ingest applies to every label it reads). */
    public static final int MAX_LABEL_LENGTH = 256;

    private static final TaskCatalogue EMPTY = new TaskCatalogue(Map.of());

    private final Map<String, TaskDefinition> tasks;

    private TaskCatalogue(Map<String, TaskDefinition> tasks) {
        this.tasks = tasks;
    }

    /**
     * Version 1 of a new task with the built-in policies (declared here once): windows of 500 examples or 60 s,
     * text of 3 to 2,000 characters truncated at the head beyond that, the model's own token limit, every kind of
     * personal data masked, no open labels, no overrides, ACTIVE.
     */
    public static TaskDefinition newTask(String task, List<String> labels, String changedBy, Instant at) {
        return TaskDefinition.newBuilder()
                .setTask(task).setVersion(1).setLabels(List.copyOf(labels)).setPositiveLabel(null)
                .setState(TaskState.ACTIVE)
                .setWindow(new WindowPolicy(500, Duration.ofSeconds(60).toMillis()))
                .setText(new TextPolicy(3, 2000, TextOverflow.TRUNCATE_HEAD, 0))
                .setPii(List.of("email", "phone", "card-number", "ip-address"))
                .setOpenLabels(null).setGateOverrides(Map.of()).setTrainingOverrides(Map.of())
                .setChangedBy(changedBy).setChangedAt(at).setChange("created with labels " + labels)
                .setSigningKeyId(null).setSignature(null)
                .build();
    }

    /**
     * A builder for the version after {@code current}: a copy with the version raised, who and when set, the
     * signature cleared (the writer signs the result). Set what changes, then {@code build()}.
     */
    public static TaskDefinition.Builder nextVersion(TaskDefinition current, String changedBy, Instant at,
                                                     String change) {
        return TaskDefinition.newBuilder(current).setVersion(current.getVersion() + 1).setChangedBy(changedBy)
                .setChangedAt(at).setChange(change).setSigningKeyId(null).setSignature(null);
    }

    public static TaskCatalogue empty() {
        return EMPTY;
    }

    /** A catalogue holding these definitions (each must be valid on its own). */
    public static TaskCatalogue of(TaskDefinition... definitions) {
        TaskCatalogue catalogue = EMPTY;
        for (TaskDefinition definition : definitions) {
            catalogue = catalogue.apply(definition);
        }
        return catalogue;
    }

    /**
     * The catalogue with {@code next} in it, or this one unchanged when {@code next} is not a valid successor of
     * the definition held (an old version replayed, or a record that breaks a rule; see {@link #successorProblem}).
     */
    public TaskCatalogue apply(TaskDefinition next) {
        TaskDefinition current = tasks.get(next.getTask());
        if (successorProblem(current, next).isPresent()) {
            return this;
        }
        Map<String, TaskDefinition> updated = new TreeMap<>(tasks);
        updated.put(next.getTask(), next);
        return new TaskCatalogue(Collections.unmodifiableMap(updated));
    }

    public Optional<TaskDefinition> find(String task) {
        return Optional.ofNullable(tasks.get(task));
    }

    /** Every task, retired ones included, by name. */
    public Collection<TaskDefinition> all() {
        return tasks.values();
    }

    public boolean isEmpty() {
        return tasks.isEmpty();
    }

    /** The task's labels in head order; empty when the task is not defined. */
    public List<String> labels(String task) {
        TaskDefinition definition = tasks.get(task);
        return definition == null ? List.of() : definition.getLabels();
    }

    /** Whether the task is defined and {@link TaskState#ACTIVE}. */
    public boolean isActive(String task) {
        TaskDefinition definition = tasks.get(task);
        return definition != null && definition.getState() == TaskState.ACTIVE;
    }

    /**
     * Why {@code next} may not follow {@code current} (null: the task is new), or empty when it may. Also checks
     * {@code next} on its own ({@link #problem}).
     */
    public static Optional<String> successorProblem(TaskDefinition current, TaskDefinition next) {
        Optional<String> own = problem(next);
        if (own.isPresent()) {
            return own;
        }
        if (current == null) {
            return Optional.empty();
        }
        if (next.getVersion() <= current.getVersion()) {
            return Optional.of("version " + next.getVersion() + " of task " + next.getTask()
                    + " is not newer than version " + current.getVersion());
        }
        List<String> old = current.getLabels();
        List<String> now = next.getLabels();
        if (now.size() < old.size() || !now.subList(0, old.size()).equals(old)) {
            List<String> removed = new ArrayList<>(old);
            removed.removeAll(now);
            return Optional.of("labels are append-only: task " + next.getTask() + " has " + old
                    + (removed.isEmpty() ? " in this order" : "; removing " + removed + " is not allowed"));
        }
        if (current.getState() == TaskState.RETIRED && next.getState() != TaskState.RETIRED) {
            return Optional.of("task " + next.getTask() + " is retired; a retired task cannot come back");
        }
        return Optional.empty();
    }

    /** What is wrong with {@code definition} on its own, or empty when nothing is. */
    public static Optional<String> problem(TaskDefinition definition) {
        String task = definition.getTask();
        if (task == null || !NAME_PATTERN.matcher(task).matches()) {
            return Optional.of("invalid task name '" + task + "': use 1-63 of a-z, 0-9, '-' and '_', starting with"
                    + " a letter or digit");
        }
        if (definition.getVersion() < 1) {
            return Optional.of("task " + task + ": version must be at least 1");
        }
        List<String> labels = definition.getLabels();
        if (labels.size() > MAX_LABELS) {
            return Optional.of("task " + task + " would have " + labels.size() + " labels; at most " + MAX_LABELS);
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String label : labels) {
            if (label.isBlank() || !label.equals(label.strip()) || label.length() > MAX_LABEL_LENGTH
                    || label.chars().anyMatch(Character::isISOControl)) {
                return Optional.of("task " + task + ": invalid label '" + label + "' (1-" + MAX_LABEL_LENGTH
                        + " characters, no control characters, no surrounding blanks)");
            }
            if (!seen.add(label.toLowerCase(java.util.Locale.ROOT))) {
                return Optional.of("task " + task + ": duplicate label '" + label + "' (labels differ in more than"
                        + " case)");
            }
        }
        if (labels.isEmpty() && definition.getOpenLabels() == null) {
            return Optional.of("task " + task + " needs at least one label (or open labels)");
        }
        String positive = definition.getPositiveLabel();
        if (positive != null && !labels.contains(positive)) {
            return Optional.of("task " + task + ": positive label '" + positive + "' is not one of its labels");
        }
        var window = definition.getWindow();
        if (window.getMaxCount() < 0 || window.getMaxAgeMillis() < 0
                || window.getMaxCount() == 0 && window.getMaxAgeMillis() == 0) {
            return Optional.of("task " + task + ": a window needs a way to close (max count or max age above 0)");
        }
        var text = definition.getText();
        if (text.getMinChars() < 0 || text.getMaxChars() < Math.max(1, text.getMinChars()) || text.getMaxTokens() < 0) {
            return Optional.of("task " + task + ": need 0 <= min chars <= max chars, max chars >= 1, max tokens >= 0");
        }
        Optional<String> overrides = TaskOverrides.unknownKey(definition.getGateOverrides(),
                definition.getTrainingOverrides());
        if (overrides.isPresent()) {
            return Optional.of("task " + task + ": " + overrides.get());
        }
        var open = definition.getOpenLabels();
        if (open != null && (open.getMinExamples() < 1 || open.getMaxLabels() < 1 || open.getMaxLabels() > MAX_LABELS)) {
            return Optional.of("task " + task + ": open labels need min examples >= 1 and 1 <= max labels <= "
                    + MAX_LABELS);
        }
        return Optional.empty();
    }
}
