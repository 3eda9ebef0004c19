package dev.streamtune.ingest.validate;

import static dev.streamtune.ingest.ReasonCode.EVENT_TIME_IN_FUTURE;
import static dev.streamtune.ingest.ReasonCode.EVENT_TIME_TOO_OLD;
import static dev.streamtune.ingest.ReasonCode.INVALID_FIELD;
import static dev.streamtune.ingest.ReasonCode.MISSING_FIELD;
import static dev.streamtune.ingest.ReasonCode.TEXT_TOO_LONG;
import static dev.streamtune.ingest.ReasonCode.UNKNOWN_LABEL;
import static dev.streamtune.ingest.ReasonCode.UNKNOWN_TASK;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import dev.streamtune.contract.Topics;
import dev.streamtune.ingest.InvalidRecordException;
import dev.streamtune.ingest.SourceRecord;
import dev.streamtune.ingest.ValidExample;
import dev.streamtune.ingest.config.IngestSettings;
import dev.streamtune.ingest.config.TaskRules;
import dev.streamtune.schema.ExampleOrigin;

/**
 * The validation rules, as a pure function of an input record: decode it (Avro or JSON), check required fields,
 * task, label, event time, weight and attributes, apply defaults, and turn useful feedback into an example.
 *
 * <p>Text length is checked on the cleaned text by the clean step; here only texts so long that cleaning them
 * would be a waste are refused early.
 */
public final class ExampleValidator {

    static final int MAX_ATTRIBUTES = 32;
    static final int MAX_ATTRIBUTE_LENGTH = 256;
    /** Cleaning only removes characters (bar rare NFKC expansions): far beyond max-chars, it cannot help. */
    static final int RAW_LENGTH_FACTOR = 4;

    private final IngestSettings settings;

    public ExampleValidator(IngestSettings settings) {
        this.settings = settings;
    }

    /**
     * @param now wall-clock time, the reference for event-time checks when the record has no Kafka timestamp
     * @return the admitted example, or why feedback that teaches nothing is ignored
     * @throws InvalidRecordException when the record breaks a rule
     */
    public Admission validate(SourceRecord record, long now) {
        if (Topics.FEEDBACK_EVENTS.name().equals(record.topic())) {
            return admitFeedback(RecordDecoder.feedback(record.value()), record, now);
        }
        return new Admission.Admitted(admitLabelled(RecordDecoder.labelled(record.value()), record, now));
    }

    private ValidExample admitLabelled(LabelledFields fields, SourceRecord record, long now) {
        String task = required(fields.task(), "task").strip();
        TaskRules rules = rulesFor(task);
        String text = text(fields.text(), rules);
        String label = canonicalLabel(required(fields.label(), "label"), rules, "label");
        long eventTime = eventTime(fields.eventTime(), record, now, rules);
        double weight = weight(fields.weight());
        String id = blankToNull(fields.id());
        String source = blankToNull(fields.source());
        return new ValidExample(id == null ? record.coordinates() : id.strip(), task, text, label,
                source == null ? "unknown" : source.strip(), ExampleOrigin.LABELLED, eventTime,
                attributes(fields.attributes()), weight, record);
    }

    private Admission admitFeedback(FeedbackFields fields, SourceRecord record, long now) {
        String task = required(fields.task(), "task").strip();
        TaskRules rules = rulesFor(task);
        String text = text(fields.text(), rules);
        Optional<String> label = FeedbackRules.labelFor(fields, rules);
        long eventTime = eventTime(fields.eventTime(), record, now, rules);
        Map<String, String> attributes = attributes(fields.attributes());
        if (label.isEmpty()) {
            return new Admission.Ignored(task, "no correctedLabel and no rating rule applies (rating "
                    + fields.rating() + ")");
        }
        String id = blankToNull(fields.requestId());
        String modelVersion = blankToNull(fields.modelVersion());
        return new Admission.Admitted(new ValidExample(id == null ? record.coordinates() : id.strip(), task, text,
                label.get(), "feedback:" + (modelVersion == null ? "unknown" : modelVersion.strip()),
                ExampleOrigin.FEEDBACK, eventTime, attributes, 1.0, record));
    }

    private TaskRules rulesFor(String task) {
        return settings.rulesFor(task).orElseThrow(() -> new InvalidRecordException(UNKNOWN_TASK,
                "task '" + JsonFields.abbreviate(task) + "' is not configured (known: "
                        + settings.tasks().keySet() + ")"));
    }

    private static String text(String text, TaskRules rules) {
        String present = required(text, "text");
        long limit = (long) RAW_LENGTH_FACTOR * rules.maxChars();
        if (present.length() > limit) {
            throw new InvalidRecordException(TEXT_TOO_LONG, "text has " + present.length()
                    + " characters before cleaning; task '" + rules.task() + "' accepts at most " + rules.maxChars());
        }
        return present;
    }

    static String canonicalLabel(String label, TaskRules rules, String field) {
        return rules.canonicalLabel(label).orElseThrow(() -> new InvalidRecordException(UNKNOWN_LABEL,
                field + " '" + JsonFields.abbreviate(label) + "' is not one of " + rules.labels() + " of task '"
                        + rules.task() + "'"));
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
            if (entry.getKey().isBlank() || entry.getKey().length() > MAX_ATTRIBUTE_LENGTH
                    || entry.getValue() == null || entry.getValue().length() > MAX_ATTRIBUTE_LENGTH) {
                throw new InvalidRecordException(INVALID_FIELD, "attribute names must be non-blank and names and "
                        + "values at most " + MAX_ATTRIBUTE_LENGTH + " characters");
            }
        }
        return attributes;
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
