package dev.streamtune.ingest.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.streamtune.ingest.clean.PiiKind;

/**
 * Every rule ingest applies to one task, resolved from the task's settings over the global defaults. Plain data:
 * the topology and its tests use it without Micronaut.
 *
 * @param labels          the task's label set; empty means any non-blank label (only for accepted unknown tasks)
 * @param minChars        shortest cleaned text accepted, in Unicode code points
 * @param maxChars        longest cleaned text accepted, in Unicode code points
 * @param pii             kinds of personal data masked in the text
 * @param maxFutureSkew   how far an event time may lie after the record's Kafka timestamp
 * @param maxEventAge     how far an event time may lie before the record's Kafka timestamp
 * @param dedupeHorizon   identical content within this distance of record timestamps is a duplicate
 * @param trainRatio      share of content hashes that go to TRAIN
 * @param validationRatio share that goes to VALIDATION; TEST gets the rest
 * @param windowMaxCount  a window closes when it holds this many examples; 0 disables closing by count
 * @param windowMaxAge    a window closes when its first example is this old (wall clock); zero disables it
 * @param confirmMinRating feedback rated at least this (1-5) without a correction confirms the predicted label;
 *                         0 disables the rule
 * @param flipMaxRating   on a two-label task, feedback rated at most this without a correction labels the text
 *                        with the other label; 0 disables the rule
 */
public record TaskRules(
        String task,
        List<String> labels,
        int minChars,
        int maxChars,
        Set<PiiKind> pii,
        Duration maxFutureSkew,
        Duration maxEventAge,
        Duration dedupeHorizon,
        double trainRatio,
        double validationRatio,
        int windowMaxCount,
        Duration windowMaxAge,
        int confirmMinRating,
        int flipMaxRating) {

    public TaskRules {
        labels = List.copyOf(labels);
        pii = pii.isEmpty() ? Set.of() : Set.copyOf(pii);
        require(!task.isBlank(), "task name must not be blank");
        require(minChars >= 0 && maxChars >= Math.max(1, minChars),
                "need 0 <= min-chars <= max-chars and max-chars >= 1, got " + minChars + ".." + maxChars);
        require(trainRatio >= 0 && validationRatio >= 0 && trainRatio + validationRatio <= 1.0 + 1e-9,
                "split ratios must be >= 0 and train + validation <= 1, got " + trainRatio + " + " + validationRatio);
        require(windowMaxCount >= 0, "window-max-count must be >= 0");
        require(!windowMaxAge.isNegative(), "window-max-age must not be negative");
        require(windowMaxCount > 0 || !windowMaxAge.isZero(),
                "a window needs a way to close: set window-max-count or window-max-age");
        require(!dedupeHorizon.isNegative() && !maxFutureSkew.isNegative() && !maxEventAge.isNegative(),
                "durations must not be negative");
        require(confirmMinRating >= 0 && confirmMinRating <= 5 && flipMaxRating >= 0 && flipMaxRating <= 5,
                "ratings are 1..5 (0 disables a rule)");
        require(flipMaxRating == 0 || confirmMinRating == 0 || flipMaxRating < confirmMinRating,
                "feedback-flip-max-rating must be below feedback-confirm-min-rating");
    }

    /** The built-in defaults, documented in the README; {@code application.yml} can override each. */
    public static TaskRules defaults(String task, List<String> labels) {
        return new TaskRules(task, labels, 3, 2000, Set.of(PiiKind.values()), Duration.ofMinutes(5),
                Duration.ofDays(365), Duration.ofDays(7), 0.70, 0.15, 500, Duration.ofSeconds(60), 4, 0);
    }

    public boolean acceptsAnyLabel() {
        return labels.isEmpty();
    }

    /** The configured spelling of {@code label}, matched ignoring case and surrounding blanks. */
    public Optional<String> canonicalLabel(String label) {
        String wanted = label.strip();
        if (wanted.isEmpty()) {
            return Optional.empty();
        }
        if (acceptsAnyLabel()) {
            return Optional.of(wanted);
        }
        for (String known : labels) { // label sets are small: a scan beats building an index
            if (known.equalsIgnoreCase(wanted)) {
                return Optional.of(known);
            }
        }
        return Optional.empty();
    }

    public TaskRules withLabels(List<String> newLabels) {
        return new TaskRules(task, newLabels, minChars, maxChars, pii, maxFutureSkew, maxEventAge, dedupeHorizon,
                trainRatio, validationRatio, windowMaxCount, windowMaxAge, confirmMinRating, flipMaxRating);
    }

    public TaskRules withTask(String newTask) {
        return new TaskRules(newTask, labels, minChars, maxChars, pii, maxFutureSkew, maxEventAge, dedupeHorizon,
                trainRatio, validationRatio, windowMaxCount, windowMaxAge, confirmMinRating, flipMaxRating);
    }

    public TaskRules withTextBounds(int newMin, int newMax) {
        return new TaskRules(task, labels, newMin, newMax, pii, maxFutureSkew, maxEventAge, dedupeHorizon,
                trainRatio, validationRatio, windowMaxCount, windowMaxAge, confirmMinRating, flipMaxRating);
    }

    public TaskRules withPii(Set<PiiKind> newPii) {
        return new TaskRules(task, labels, minChars, maxChars, newPii, maxFutureSkew, maxEventAge, dedupeHorizon,
                trainRatio, validationRatio, windowMaxCount, windowMaxAge, confirmMinRating, flipMaxRating);
    }

    public TaskRules withEventTimeBounds(Duration newFutureSkew, Duration newMaxAge) {
        return new TaskRules(task, labels, minChars, maxChars, pii, newFutureSkew, newMaxAge, dedupeHorizon,
                trainRatio, validationRatio, windowMaxCount, windowMaxAge, confirmMinRating, flipMaxRating);
    }

    public TaskRules withDedupeHorizon(Duration newHorizon) {
        return new TaskRules(task, labels, minChars, maxChars, pii, maxFutureSkew, maxEventAge, newHorizon,
                trainRatio, validationRatio, windowMaxCount, windowMaxAge, confirmMinRating, flipMaxRating);
    }

    public TaskRules withSplit(double newTrain, double newValidation) {
        return new TaskRules(task, labels, minChars, maxChars, pii, maxFutureSkew, maxEventAge, dedupeHorizon,
                newTrain, newValidation, windowMaxCount, windowMaxAge, confirmMinRating, flipMaxRating);
    }

    public TaskRules withWindow(int newMaxCount, Duration newMaxAge) {
        return new TaskRules(task, labels, minChars, maxChars, pii, maxFutureSkew, maxEventAge, dedupeHorizon,
                trainRatio, validationRatio, newMaxCount, newMaxAge, confirmMinRating, flipMaxRating);
    }

    public TaskRules withFeedbackRatings(int newConfirmMin, int newFlipMax) {
        return new TaskRules(task, labels, minChars, maxChars, pii, maxFutureSkew, maxEventAge, dedupeHorizon,
                trainRatio, validationRatio, windowMaxCount, windowMaxAge, newConfirmMin, newFlipMax);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
