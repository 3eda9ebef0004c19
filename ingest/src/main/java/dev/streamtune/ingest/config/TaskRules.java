package dev.streamtune.ingest.config;

import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.streamtune.ingest.clean.PiiKind;
import dev.streamtune.schema.OpenLabelPolicy;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.schema.TaskState;
import dev.streamtune.schema.TextOverflow;
import dev.streamtune.schema.TextPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every rule ingest applies to one task: the task's own policies from its current {@link TaskDefinition} (labels,
 * state, window, text, PII) and the rules every task shares ({@link IngestSettings.Defaults}). Immutable plain
 * data, built once per catalogue change ({@link TaskRulebook}), so the steps read it per record without copying.
 */
public final class TaskRules {

    private static final Logger LOG = LoggerFactory.getLogger(TaskRules.class);

    private final String task;
    private final long version;
    private final TaskState state;
    private final List<String> labels;
    /** Lower-cased label to its catalogue spelling: open-label tasks may hold up to 1,000 labels. */
    private final Map<String, String> labelsByLowerCase;
    private final OpenLabelPolicy openLabels;
    private final TextPolicy text;
    private final Set<PiiKind> pii;
    private final int windowMaxCount;
    private final Duration windowMaxAge;
    private final IngestSettings.Defaults shared;

    private TaskRules(TaskDefinition definition, IngestSettings.Defaults shared) {
        this.task = definition.getTask();
        this.version = definition.getVersion();
        this.state = definition.getState();
        this.labels = List.copyOf(definition.getLabels());
        Map<String, String> index = new HashMap<>(labels.size() * 2);
        labels.forEach(label -> index.put(label.toLowerCase(Locale.ROOT), label));
        this.labelsByLowerCase = Map.copyOf(index);
        this.openLabels = definition.getOpenLabels() == null ? null
                : OpenLabelPolicy.newBuilder(definition.getOpenLabels()).build();
        this.text = TextPolicy.newBuilder(definition.getText()).build(); // a copy: Avro records are mutable
        this.pii = piiKinds(definition);
        this.windowMaxCount = definition.getWindow().getMaxCount();
        this.windowMaxAge = Duration.ofMillis(definition.getWindow().getMaxAgeMillis());
        this.shared = shared;
    }

    /** The rules of {@code definition} (a definition the catalogue accepted, so its policies are valid). */
    public static TaskRules of(TaskDefinition definition, IngestSettings.Defaults shared) {
        return new TaskRules(definition, shared);
    }

    /**
     * The PII kinds to mask. A kind this version of ingest does not know (written by a newer evaluator) masks every
     * kind it knows: masking more than asked is safe, masking less would leak what someone wanted hidden.
     */
    private static Set<PiiKind> piiKinds(TaskDefinition definition) {
        try {
            Set<PiiKind> kinds = PiiKind.parseAll(definition.getPii());
            return kinds.isEmpty() ? Set.of() : Set.copyOf(kinds);
        } catch (IllegalArgumentException e) {
            LOG.warn("task {} v{}: {}; masking every kind ingest knows", definition.getTask(),
                    definition.getVersion(), e.getMessage());
            return Set.copyOf(EnumSet.allOf(PiiKind.class));
        }
    }

    public String task() {
        return task;
    }

    public long version() {
        return version;
    }

    public TaskState state() {
        return state;
    }

    /** RETIRED is final: new examples of the task are dead-lettered (TASK_RETIRED). PAUSED tasks are ingested. */
    public boolean retired() {
        return state == TaskState.RETIRED;
    }

    /** The task's labels in catalogue (head) order; empty for an open-label task that has none yet. */
    public List<String> labels() {
        return labels;
    }

    /** The open-label policy, or null when unseen labels wait for an operator. */
    public OpenLabelPolicy openLabels() {
        return openLabels;
    }

    /** The catalogue's spelling of {@code label}, matched ignoring case and surrounding blanks. */
    public Optional<String> canonicalLabel(String label) {
        String wanted = label.strip();
        if (wanted.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(labelsByLowerCase.get(wanted.toLowerCase(Locale.ROOT)));
    }

    /** Shortest cleaned text accepted, in Unicode code points. */
    public int minChars() {
        return text.getMinChars();
    }

    /** Longest cleaned text kept, in Unicode code points; longer text is cut or rejected ({@link #overflow()}). */
    public int maxChars() {
        return text.getMaxChars();
    }

    public TextOverflow overflow() {
        return text.getOverflow();
    }

    /** The text policy as {@code TextTruncation} takes it (not to be modified). */
    public TextPolicy textPolicy() {
        return text;
    }

    /** Kinds of personal data masked in the text. */
    public Set<PiiKind> pii() {
        return pii;
    }

    /** A window closes when it holds this many examples; 0 disables closing by count. */
    public int windowMaxCount() {
        return windowMaxCount;
    }

    /** A window closes when its first example is this old (wall clock); zero disables it. */
    public Duration windowMaxAge() {
        return windowMaxAge;
    }

    public Duration maxFutureSkew() {
        return shared.maxFutureSkew();
    }

    public Duration maxEventAge() {
        return shared.maxEventAge();
    }

    public int confirmMinRating() {
        return shared.confirmMinRating();
    }

    public int flipMaxRating() {
        return shared.flipMaxRating();
    }

    @Override
    public String toString() {
        return "TaskRules[" + task + " v" + version + ", " + state + ", " + labels.size() + " labels]";
    }
}
