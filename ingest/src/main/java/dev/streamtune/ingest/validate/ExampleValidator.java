package dev.streamtune.ingest.validate;

import static dev.streamtune.contract.ReasonCode.EVENT_TIME_IN_FUTURE;
import static dev.streamtune.contract.ReasonCode.EVENT_TIME_TOO_OLD;
import static dev.streamtune.contract.ReasonCode.INVALID_FIELD;
import static dev.streamtune.contract.ReasonCode.MISSING_FIELD;
import static dev.streamtune.contract.ReasonCode.TASK_RETIRED;
import static dev.streamtune.contract.ReasonCode.TEXT_TOO_LONG;
import static dev.streamtune.contract.ReasonCode.UNKNOWN_LABEL;
import static dev.streamtune.contract.ReasonCode.UNKNOWN_TASK;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import dev.streamtune.contract.Topics;
import dev.streamtune.ingest.InvalidRecordException;
import dev.streamtune.ingest.SourceRecord;
import dev.streamtune.ingest.ValidExample;
import dev.streamtune.ingest.config.IngestSettings;
import dev.streamtune.ingest.config.TaskRulebook;
import dev.streamtune.ingest.config.TaskRules;
import dev.streamtune.schema.ExampleOrigin;
import dev.streamtune.schema.OpenLabelPolicy;
import dev.streamtune.schema.TextOverflow;

/**
 * The validation rules, as a pure function of an input record and the task catalogue's current rules: decode it
 * (Avro or JSON), check required fields, task (defined, not retired), label, event time, weight and attributes,
 * apply defaults, and turn useful feedback into an example. A rejected record names its task and label when they
 * could be read, so dead letters can be counted and replayed per task and label.
 *
 * <p>Text length is judged on the cleaned text by the clean step (where long text is truncated); here only texts
 * that no policy would keep, or that ingest does not read at all ({@code max-text-chars}), are refused early.
 */
public final class ExampleValidator {

    static final int MAX_ATTRIBUTES = 32;
    /**
     * Longest id, task, label, source, model version, attribute name or attribute value, in characters. These end
     * up in record keys, state-store keys, metric tags and manifests, so each is small; a bounded example also
     * keeps every output record far below the producer's size limit.
     */
    static final int MAX_FIELD_LENGTH = 256;
    /**
     * Cleaning only removes characters (bar rare NFKC expansions): for a task whose policy rejects long text, a raw
     * text beyond this many times max-chars would be rejected after cleaning anyway.
     */
    static final int RAW_LENGTH_FACTOR = 4;
    /** Labels named in a reason, at most (open-label tasks may have 1,000). */
    private static final int LABELS_IN_REASON = 20;
    /** Event times outside years 1-9999 are not dates anyone means (and ISO-8601 cannot print them). */
    static final Instant EARLIEST_EVENT_TIME = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LATEST_EVENT_TIME = Instant.parse("9999-12-31T23:59:59.999Z");

    private final IngestSettings settings;
    private final Supplier<TaskRulebook> rulebook;
    private final RecordDecoder decoder;

    /** @param rulebook the catalogue's rules as they are now, read once per record */
    public ExampleValidator(IngestSettings settings, Supplier<TaskRulebook> rulebook) {
        this.settings = settings;
        this.rulebook = rulebook;
        this.decoder = new RecordDecoder(JsonLimits.of(settings));
    }

    /**
     * @param now wall-clock time, the reference for event-time checks when the record has no Kafka timestamp
     * @return the admitted example, or why feedback that teaches nothing is ignored
     * @throws InvalidRecordException when the record breaks a rule
     */
    public Admission validate(SourceRecord record, long now) {
        TaskRulebook rules = rulebook.get(); // one snapshot for the whole record
        if (Topics.FEEDBACK_EVENTS.name().equals(record.topic())) {
            FeedbackFields fields = decoder.feedback(record.value());
            try {
                return admitFeedback(fields, record, now, rules);
            } catch (InvalidRecordException e) {
                String label = blankToNull(fields.correctedLabel());
                throw e.about(readable(fields.task()), readable(label != null ? label : fields.predictedLabel()));
            }
        }
        LabelledFields fields = decoder.labelled(record.value());
        try {
            return new Admission.Admitted(admitLabelled(fields, record, now, rules));
        } catch (InvalidRecordException e) {
            throw e.about(readable(fields.task()), readable(fields.label()));
        }
    }

    /** A task or label as a dead letter may name it: present, short, without control characters; else null. */
    static String readable(String value) {
        if (value == null || value.isBlank() || value.length() > MAX_FIELD_LENGTH
                || value.chars().anyMatch(Character::isISOControl)) {
            return null;
        }
        return value.strip();
    }

    private ValidExample admitLabelled(LabelledFields fields, SourceRecord record, long now, TaskRulebook book) {
        String task = shortField(required(fields.task(), "task"), "task").strip();
        TaskRules rules = rulesFor(task, book);
        String text = text(fields.text(), rules);
        String label = canonicalLabel(shortField(required(fields.label(), "label"), "label"), rules, "label");
        long eventTime = eventTime(fields.eventTime(), record, now, rules);
        double weight = weight(fields.weight());
        String id = blankToNull(shortField(fields.id(), "id"));
        String source = blankToNull(shortField(fields.source(), "source"));
        return new ValidExample(id == null ? record.coordinates() : id.strip(), task, text, label,
                source == null ? "unknown" : source.strip(), ExampleOrigin.LABELLED, eventTime,
                attributes(fields.attributes()), weight, record);
    }

    private Admission admitFeedback(FeedbackFields fields, SourceRecord record, long now, TaskRulebook book) {
        String task = shortField(required(fields.task(), "task"), "task").strip();
        TaskRules rules = rulesFor(task, book);
        String text = text(fields.text(), rules);
        shortField(fields.predictedLabel(), "predictedLabel");
        shortField(fields.correctedLabel(), "correctedLabel");
        Optional<String> label = FeedbackRules.labelFor(fields, rules);
        long eventTime = eventTime(fields.eventTime(), record, now, rules);
        Map<String, String> attributes = attributes(fields.attributes());
        if (label.isEmpty()) {
            return new Admission.Ignored(task, "no correctedLabel and no rating rule applies (rating "
                    + fields.rating() + ")");
        }
        String id = blankToNull(shortField(fields.requestId(), "requestId"));
        String modelVersion = blankToNull(shortField(fields.modelVersion(), "modelVersion"));
        return new Admission.Admitted(new ValidExample(id == null ? record.coordinates() : id.strip(), task, text,
                label.get(), "feedback:" + (modelVersion == null ? "unknown" : modelVersion.strip()),
                ExampleOrigin.FEEDBACK, eventTime, attributes, 1.0, record));
    }

    /** The task's current rules: UNKNOWN_TASK when the catalogue does not define it, TASK_RETIRED when retired. */
    private static TaskRules rulesFor(String task, TaskRulebook book) {
        TaskRules rules = book.find(task).orElseThrow(() -> new InvalidRecordException(UNKNOWN_TASK,
                "task '" + JsonFields.abbreviate(task) + "' is not defined in the task catalogue ("
                        + (book.tasks().isEmpty() ? "it defines no task yet" : "known: " + listed(book.tasks()))
                        + ")"));
        if (rules.retired()) {
            throw new InvalidRecordException(TASK_RETIRED, "task '" + task + "' is retired (catalogue version "
                    + rules.version() + "): it takes no new examples");
        }
        return rules;
    }

    private String text(String text, TaskRules rules) {
        String present = required(text, "text");
        if (present.length() > settings.maxTextChars()) {
            // Normally the JSON parser stops first; an Avro record gets here.
            throw new InvalidRecordException(TEXT_TOO_LONG, "text has " + present.length() + " characters; ingest "
                    + "reads at most " + settings.maxTextChars() + " (ingest.max-text-chars), whatever the task's "
                    + "text policy");
        }
        long limit = (long) RAW_LENGTH_FACTOR * rules.maxChars();
        if (rules.overflow() == TextOverflow.REJECT && present.length() > limit) {
            throw new InvalidRecordException(TEXT_TOO_LONG, "text has " + present.length()
                    + " characters before cleaning; task '" + rules.task() + "' accepts at most " + rules.maxChars()
                    + " (its text policy rejects longer text)");
        }
        return present;
    }

    static String canonicalLabel(String label, TaskRules rules, String field) {
        return rules.canonicalLabel(label).orElseThrow(() -> new InvalidRecordException(UNKNOWN_LABEL,
                unknownLabel(label, rules, field)));
    }

    private static String unknownLabel(String label, TaskRules rules, String field) {
        String reason = field + " '" + JsonFields.abbreviate(label) + "' is not one of " + listed(rules.labels())
                + " of task '" + rules.task() + "'";
        OpenLabelPolicy open = rules.openLabels();
        if (open == null) {
            return reason;
        }
        return reason + " yet: the task has open labels, so the label is added automatically once "
                + open.getMinExamples() + " examples of it have arrived (at most " + open.getMaxLabels()
                + " labels), and this example waits here to be replayed then";
    }

    /** A list for a reason: the first few items and how many there are. */
    private static String listed(Collection<String> items) {
        if (items.size() <= LABELS_IN_REASON) {
            return items.toString();
        }
        List<String> first = items.stream().limit(LABELS_IN_REASON).toList();
        String shown = first.toString();
        return shown.substring(0, shown.length() - 1) + ", ... (" + items.size() + " in all)]";
    }

    /**
     * Event time is judged against the record's Kafka timestamp, not the wall clock, so a replay of old input
     * gets the same verdicts as the first run.
     */
    private static long eventTime(Long eventTime, SourceRecord record, long now, TaskRules rules) {
        long reference = record.timestamp() >= 0 ? record.timestamp() : now;
        if (eventTime == null) {
            return reference;
        }
        if (eventTime < EARLIEST_EVENT_TIME.toEpochMilli() || eventTime > LATEST_EVENT_TIME.toEpochMilli()) {
            throw new InvalidRecordException(INVALID_FIELD, "eventTime " + eventTime + " ms is outside the years "
                    + "1-9999");
        }
        if (eventTime > reference + rules.maxFutureSkew().toMillis()) {
            throw new InvalidRecordException(EVENT_TIME_IN_FUTURE, "eventTime " + instant(eventTime)
                    + " is after the record's timestamp " + instant(reference) + " by more than "
                    + rules.maxFutureSkew());
        }
        if (eventTime < reference - rules.maxEventAge().toMillis()) {
            throw new InvalidRecordException(EVENT_TIME_TOO_OLD, "eventTime " + instant(eventTime)
                    + " is before the record's timestamp " + instant(reference) + " by more than "
                    + rules.maxEventAge());
        }
        return eventTime;
    }

    private static double weight(Double weight) {
        if (weight == null) {
            return 1.0;
        }
        if (!Double.isFinite(weight) || weight <= 0) {
            throw new InvalidRecordException(INVALID_FIELD, "weight must be a positive number, not " + weight);
        }
        return weight;
    }

    private static Map<String, String> attributes(Map<String, String> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return Map.of();
        }
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw new InvalidRecordException(INVALID_FIELD, "attributes has " + attributes.size()
                    + " entries; at most " + MAX_ATTRIBUTES + " are accepted");
        }
        for (Map.Entry<String, String> entry : attributes.entrySet()) {
            if (entry.getKey().isBlank() || entry.getValue() == null) {
                throw new InvalidRecordException(INVALID_FIELD, "attribute names must be non-blank and values "
                        + "present");
            }
            shortField(entry.getKey(), "attribute name");
            shortField(entry.getValue(), "attributes." + JsonFields.abbreviate(entry.getKey()));
        }
        return attributes;
    }

    /**
     * A short field (see {@link #MAX_FIELD_LENGTH}) without control characters: a NUL or newline in an id, a
     * label or an attribute would travel into keys, logs and metric tags.
     */
    private static String shortField(String value, String field) {
        if (value == null) {
            return null;
        }
        if (value.length() > MAX_FIELD_LENGTH) {
            throw new InvalidRecordException(INVALID_FIELD, field + " has " + value.length() + " characters; at "
                    + "most " + MAX_FIELD_LENGTH + " are accepted");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new InvalidRecordException(INVALID_FIELD, field + " contains a control character (U+"
                        + String.format("%04X", (int) value.charAt(i)) + ")");
            }
        }
        return value;
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidRecordException(MISSING_FIELD, field + " is " + (value == null ? "missing" : "blank"));
        }
        return value;
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String instant(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }
}
