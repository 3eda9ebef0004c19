package dev.streamtune.evaluator.catalogue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;

import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.contract.TaskOverrides;
import dev.streamtune.evaluator.catalogue.TaskChangeRefused.Reason;
import dev.streamtune.schema.OpenLabelPolicy;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.schema.TaskState;
import dev.streamtune.schema.TextOverflow;
import dev.streamtune.schema.TextPolicy;
import dev.streamtune.schema.WindowPolicy;

/**
 * What each operator command makes of the catalogue: the next {@link TaskDefinition} to write, or a
 * {@link TaskChangeRefused} saying why not (and with which HTTP status). Pure: the catalogue and the time come in,
 * nothing is written here; {@link TaskCatalogueWriter} signs and writes the result.
 *
 * <p>The rules are the readers' own ({@link TaskCatalogue#successorProblem}), checked again last, so nothing this
 * class returns can be ignored by a reader; the checks before it only pick the right status and a precise message.
 * Labels are append-only by construction: no command takes a whole label list for an existing task.
 */
public final class TaskCatalogueCommands {

    /** Who a change may be attributed to: a name or an address, not a paragraph. */
    static final int MAX_CHANGED_BY_LENGTH = 100;
    /** The kinds of personal data masking knows: the built-in policy masks every one of them. */
    static final List<String> PII_KINDS = TaskCatalogue.newTask("any", List.of("any"), "-", Instant.EPOCH).getPii();

    private TaskCatalogueCommands() {
    }

    /** Version 1 of a new task: the built-in policies with {@code task}'s differences applied. */
    public static TaskDefinition create(TaskCatalogue catalogue, NewTask task, String changedBy, Instant at) {
        checkChangedBy(changedBy);
        if (task == null || task.task() == null) {
            throw invalid("a new task needs a name ('task')");
        }
        String name = task.task();
        checkName(name);
        Optional<TaskDefinition> existing = catalogue.find(name);
        if (existing.isPresent()) {
            throw new TaskChangeRefused(Reason.TASK_EXISTS, "task " + name + " already exists (version "
                    + existing.get().getVersion() + ", " + existing.get().getState() + ")"
                    + (existing.get().getState() == TaskState.RETIRED ? "; a retired task's name is not reused" : ""));
        }
        if (task.labels() == null) {
            throw invalid("task " + name + " needs its labels ('labels': [...])");
        }
        checkLabels(name, List.of(), task.labels());
        TaskDefinition first = TaskCatalogue.newTask(name, task.labels(), changedBy, at);
        TaskDefinition.Builder next = TaskDefinition.newBuilder(first);
        String change = applyPolicies(first, task.policies(), next, new StringJoiner("; "))
                .map(what -> first.getChange() + "; " + what).orElse(first.getChange());
        return checked(null, next.setChange(change).build());
    }

    /** The task with {@code labels} appended, in the order given. */
    public static TaskDefinition addLabels(TaskCatalogue catalogue, String task, List<String> labels, String changedBy,
                                           Instant at) {
        checkChangedBy(changedBy);
        TaskDefinition current = changeable(catalogue, task);
        if (labels == null || labels.isEmpty()) {
            throw invalid("no labels to add to task " + task + " ('labels': [...])");
        }
        checkLabels(task, current.getLabels(), labels);
        List<String> all = new ArrayList<>(current.getLabels());
        all.addAll(labels);
        return checked(current, TaskCatalogue.nextVersion(current, changedBy, at,
                "added labels: " + String.join(", ", labels)).setLabels(all).build());
    }

    /** The task with its policies, positive label or overrides changed. */
    public static TaskDefinition change(TaskCatalogue catalogue, String task, TaskPolicies policies, String changedBy,
                                        Instant at) {
        checkChangedBy(changedBy);
        TaskDefinition current = changeable(catalogue, task);
        if (policies == null || policies.isEmpty()) {
            throw invalid("nothing to change in task " + task + ": give positiveLabel, window, text, pii, "
                    + "openLabels, gateOverrides or trainingOverrides");
        }
        TaskDefinition.Builder next = TaskCatalogue.nextVersion(current, changedBy, at, "");
        String what = applyPolicies(current, policies, next, new StringJoiner("; ")).orElse("no change");
        return checked(current, next.setChange(what).build());
    }

    /** ACTIVE -> PAUSED: still ingested and served, no new training round. */
    public static TaskDefinition pause(TaskCatalogue catalogue, String task, String changedBy, Instant at) {
        return toState(catalogue, task, TaskState.PAUSED, changedBy, at);
    }

    /** PAUSED -> ACTIVE. */
    public static TaskDefinition resume(TaskCatalogue catalogue, String task, String changedBy, Instant at) {
        return toState(catalogue, task, TaskState.ACTIVE, changedBy, at);
    }

    /** Final: new examples are dead-lettered, nothing is trained, serving answers 410; the name stays taken. */
    public static TaskDefinition retire(TaskCatalogue catalogue, String task, String changedBy, Instant at) {
        return toState(catalogue, task, TaskState.RETIRED, changedBy, at);
    }

    /**
     * The configured tasks the catalogue does not have yet, as version 1 by "bootstrap". A task already on the
     * topic is left as it is, whatever the configuration says: the topic is the source of truth once it has it.
     *
     * @throws TaskChangeRefused when a configured task is invalid (the service should not start with it)
     */
    public static List<TaskDefinition> bootstrap(TaskCatalogue catalogue, Collection<NewTask> configured, Instant at) {
        List<TaskDefinition> missing = new ArrayList<>();
        for (NewTask task : configured) {
            TaskDefinition definition = create(TaskCatalogue.empty(), task, BOOTSTRAP, at); // validated either way
            if (catalogue.find(task.task()).isEmpty()) {
                missing.add(definition);
            }
        }
        return missing;
    }

    /** Who the start-up provisioning of configured tasks is recorded as. */
    public static final String BOOTSTRAP = "bootstrap";

    private static TaskDefinition toState(TaskCatalogue catalogue, String task, TaskState state, String changedBy,
                                          Instant at) {
        checkChangedBy(changedBy);
        TaskDefinition current = changeable(catalogue, task);
        if (current.getState() == state) {
            throw new TaskChangeRefused(Reason.STATE_CONFLICT, "task " + task + " is already " + state);
        }
        return checked(current, TaskCatalogue.nextVersion(current, changedBy, at,
                current.getState() + " -> " + state).setState(state).build());
    }

    /** The task's current definition, if it exists and is not retired. */
    private static TaskDefinition changeable(TaskCatalogue catalogue, String task) {
        checkName(task);
        TaskDefinition current = catalogue.find(task).orElseThrow(() ->
                new TaskChangeRefused(Reason.UNKNOWN_TASK, "no task " + task));
        if (current.getState() == TaskState.RETIRED) {
            throw new TaskChangeRefused(Reason.STATE_CONFLICT, "task " + task + " is retired; a retired task "
                    + "cannot be changed");
        }
        return current;
    }

    /**
     * Applies every non-null field of {@code policies} to {@code next} (which starts as a copy of {@code current})
     * and returns what changed, in words.
     */
    private static Optional<String> applyPolicies(TaskDefinition current, TaskPolicies policies,
                                                  TaskDefinition.Builder next, StringJoiner change) {
        String task = current.getTask();
        if (policies.positiveLabel() != null) {
            String positive = policies.positiveLabel().isEmpty() ? null : policies.positiveLabel();
            if (positive != null && !current.getLabels().contains(positive)) {
                throw invalid("task " + task + ": positive label '" + positive + "' is not one of its labels "
                        + current.getLabels());
            }
            next.setPositiveLabel(positive);
            change.add("positive label " + (positive == null ? "cleared" : positive));
        }
        if (policies.window() != null) {
            WindowPolicy window = current.getWindow();
            TaskPolicies.Window set = policies.window();
            next.setWindow(new WindowPolicy(set.maxCount() != null ? set.maxCount() : window.getMaxCount(),
                    set.maxAgeMillis() != null ? set.maxAgeMillis() : window.getMaxAgeMillis()));
            change.add("window " + next.getWindow().getMaxCount() + " examples / " + next.getWindow().getMaxAgeMillis()
                    + " ms");
        }
        if (policies.text() != null) {
            TextPolicy text = current.getText();
            TaskPolicies.Text set = policies.text();
            next.setText(new TextPolicy(set.minChars() != null ? set.minChars() : text.getMinChars(),
                    set.maxChars() != null ? set.maxChars() : text.getMaxChars(),
                    set.overflow() != null ? overflow(task, set.overflow()) : text.getOverflow(),
                    set.maxTokens() != null ? set.maxTokens() : text.getMaxTokens()));
            TextPolicy now = next.getText();
            change.add("text " + now.getMinChars() + "-" + now.getMaxChars() + " chars, " + now.getOverflow()
                    + ", " + (now.getMaxTokens() == 0 ? "model's token limit" : now.getMaxTokens() + " tokens"));
        }
        if (policies.pii() != null) {
            for (String kind : policies.pii()) {
                if (!PII_KINDS.contains(kind)) {
                    throw invalid("task " + task + ": unknown kind of personal data '" + kind + "'; known: "
                            + PII_KINDS);
                }
            }
            next.setPii(List.copyOf(new java.util.LinkedHashSet<>(policies.pii())));
            change.add("pii " + next.getPii());
        }
        if (policies.openLabels() != null) {
            TaskPolicies.OpenLabels set = policies.openLabels();
            if (Boolean.FALSE.equals(set.enabled())) {
                next.setOpenLabels(null);
                change.add("open labels off");
            } else {
                OpenLabelPolicy held = current.getOpenLabels();
                Integer minExamples = set.minExamples() != null ? set.minExamples()
                        : held == null ? null : held.getMinExamples();
                Integer maxLabels = set.maxLabels() != null ? set.maxLabels()
                        : held == null ? null : held.getMaxLabels();
                if (minExamples == null || maxLabels == null) {
                    throw invalid("task " + task + ": turning open labels on needs minExamples and maxLabels");
                }
                next.setOpenLabels(new OpenLabelPolicy(minExamples, maxLabels));
                change.add("open labels after " + minExamples + " examples, up to " + maxLabels + " labels");
            }
        }
        if (policies.gateOverrides() != null) {
            Map<String, Double> merged = merge(current.getGateOverrides(), policies.gateOverrides());
            TaskOverrides.unknownKey(merged, Map.of()).ifPresent(problem -> {
                throw invalid("task " + task + ": " + problem);
            });
            for (Map.Entry<String, Double> entry : merged.entrySet()) {
                if (!Double.isFinite(entry.getValue()) || entry.getValue() < 0) {
                    throw invalid("task " + task + ": gate override " + entry.getKey() + " must be a number >= 0");
                }
            }
            next.setGateOverrides(merged);
            change.add("gate overrides " + new TreeMap<>(merged));
        }
        if (policies.trainingOverrides() != null) {
            Map<String, String> merged = merge(current.getTrainingOverrides(), policies.trainingOverrides());
            TaskOverrides.unknownKey(Map.of(), merged).ifPresent(problem -> {
                throw invalid("task " + task + ": " + problem);
            });
            next.setTrainingOverrides(merged);
            change.add("training overrides " + new TreeMap<>(merged));
        }
        return change.length() == 0 ? Optional.empty() : Optional.of(change.toString());
    }

    /** {@code held} with {@code changes} put in; a null value removes its key. */
    private static <V> Map<String, V> merge(Map<String, V> held, Map<String, V> changes) {
        Map<String, V> merged = new HashMap<>(held);
        changes.forEach((key, value) -> {
            if (key == null) {
                throw invalid("an override needs a key");
            }
            if (value == null) {
                merged.remove(key);
            } else {
                merged.put(key, value);
            }
        });
        return new LinkedHashMap<>(new TreeMap<>(merged));
    }

    private static TextOverflow overflow(String task, String value) {
        try {
            return TextOverflow.valueOf(value.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw invalid("task " + task + ": unknown text overflow '" + value + "'; use one of "
                    + List.of(TextOverflow.values()));
        }
    }

    /**
     * Labels to add to {@code held}: none twice, none already there (labels differ in more than case, as
     * {@link TaskCatalogue#problem} requires), and no more than {@link TaskCatalogue#MAX_LABELS} in all.
     */
    private static void checkLabels(String task, List<String> held, List<String> added) {
        Set<String> seen = new HashSet<>();
        held.forEach(label -> seen.add(label.toLowerCase(Locale.ROOT)));
        Set<String> given = new HashSet<>();
        for (String label : added) {
            if (label == null) {
                throw invalid("task " + task + ": a label cannot be null");
            }
            String folded = label.toLowerCase(Locale.ROOT);
            if (!given.add(folded)) {
                throw new TaskChangeRefused(Reason.DUPLICATE_LABEL, "task " + task + ": label '" + label
                        + "' is given twice (labels differ in more than case)");
            }
            if (seen.contains(folded)) {
                throw new TaskChangeRefused(Reason.DUPLICATE_LABEL, "task " + task + " already has label '"
                        + held.stream().filter(l -> l.equalsIgnoreCase(label)).findFirst().orElse(label) + "'");
            }
        }
        if (held.size() + added.size() > TaskCatalogue.MAX_LABELS) {
            throw new TaskChangeRefused(Reason.TOO_MANY_LABELS, "task " + task + " would have "
                    + (held.size() + added.size()) + " labels; at most " + TaskCatalogue.MAX_LABELS);
        }
    }

    private static void checkName(String task) {
        if (task == null || !TaskCatalogue.NAME_PATTERN.matcher(task).matches()) {
            throw invalid("invalid task name '" + task + "': use 1-63 of a-z, 0-9, '-' and '_', starting with a "
                    + "letter or digit");
        }
    }

    private static void checkChangedBy(String changedBy) {
        if (changedBy == null || changedBy.isBlank() || changedBy.length() > MAX_CHANGED_BY_LENGTH
                || changedBy.chars().anyMatch(Character::isISOControl)) {
            throw invalid("who made the change ('by') must be 1-" + MAX_CHANGED_BY_LENGTH
                    + " characters without control characters");
        }
    }

    /** The readers' own rule, last: whatever passes here every follower applies. */
    private static TaskDefinition checked(TaskDefinition current, TaskDefinition next) {
        TaskCatalogue.successorProblem(current, next).ifPresent(problem -> {
            throw invalid(problem);
        });
        return next;
    }

    private static TaskChangeRefused invalid(String message) {
        return new TaskChangeRefused(Reason.INVALID, message);
    }
}
