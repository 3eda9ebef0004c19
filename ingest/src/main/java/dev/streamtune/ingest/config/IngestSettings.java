package dev.streamtune.ingest.config;

import java.time.Duration;

/**
 * The pipeline-wide settings the topology needs, resolved and validated: the rules every task shares that a task
 * definition does not carry ({@link Defaults}), and the few settings of the pipeline itself. The per-task rules
 * (labels, window, text, PII) come from the task catalogue ({@link TaskRulebook}). Plain data, built by
 * {@link IngestSettingsFactory} from {@code application.yml} or directly by tests.
 *
 * @param windowCheckInterval how often (wall clock) open windows are checked for their age
 * @param dedupePurgeInterval how often (stream time) expired content hashes are removed from the dedupe store
 * @param deadLetterMaxBytes  largest dead letter (record key plus value); longer originals are cut so the dead letter
 *                            itself stays under the producer's message size limit
 * @param maxTextChars        longest raw text read at all, whatever a task's text policy says (TEXT_TOO_LONG beyond);
 *                            also the JSON parser's string limit, so a longer text is never materialised
 */
public record IngestSettings(
        Defaults defaults,
        Duration windowCheckInterval,
        Duration dedupePurgeInterval,
        int deadLetterMaxBytes,
        int maxTextChars) {

    public static final Duration DEFAULT_WINDOW_CHECK_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_DEDUPE_PURGE_INTERVAL = Duration.ofMinutes(10);
    public static final int DEFAULT_DEAD_LETTER_MAX_BYTES = 900_000;
    public static final int DEFAULT_MAX_TEXT_CHARS = 100_000;

    public IngestSettings {
        if (windowCheckInterval.isZero() || windowCheckInterval.isNegative()
                || dedupePurgeInterval.isZero() || dedupePurgeInterval.isNegative()) {
            throw new IllegalArgumentException("window-check-interval and dedupe-purge-interval must be positive");
        }
        if (deadLetterMaxBytes < 1024) {
            throw new IllegalArgumentException("dead-letter-max-bytes must be at least 1024");
        }
        if (maxTextChars < 1) {
            throw new IllegalArgumentException("max-text-chars must be at least 1");
        }
    }

    /** The built-in settings (the values {@code application.yml} ships with). */
    public static IngestSettings builtIn() {
        return new IngestSettings(Defaults.builtIn(), DEFAULT_WINDOW_CHECK_INTERVAL, DEFAULT_DEDUPE_PURGE_INTERVAL,
                DEFAULT_DEAD_LETTER_MAX_BYTES, DEFAULT_MAX_TEXT_CHARS);
    }

    public IngestSettings withDefaults(Defaults newDefaults) {
        return new IngestSettings(newDefaults, windowCheckInterval, dedupePurgeInterval, deadLetterMaxBytes,
                maxTextChars);
    }

    public IngestSettings withWindowCheckInterval(Duration interval) {
        return new IngestSettings(defaults, interval, dedupePurgeInterval, deadLetterMaxBytes, maxTextChars);
    }

    public IngestSettings withDedupePurgeInterval(Duration interval) {
        return new IngestSettings(defaults, windowCheckInterval, interval, deadLetterMaxBytes, maxTextChars);
    }

    public IngestSettings withDeadLetterMaxBytes(int maxBytes) {
        return new IngestSettings(defaults, windowCheckInterval, dedupePurgeInterval, maxBytes, maxTextChars);
    }

    public IngestSettings withMaxTextChars(int maxChars) {
        return new IngestSettings(defaults, windowCheckInterval, dedupePurgeInterval, deadLetterMaxBytes, maxChars);
    }

    /**
     * The rules every task shares ({@code ingest.defaults.*}).
     *
     * @param maxFutureSkew    how far an event time may lie after the record's Kafka timestamp
     * @param maxEventAge      how far an event time may lie before the record's Kafka timestamp
     * @param dedupeHorizon    identical content within this distance of record timestamps is a duplicate
     * @param trainRatio       share of content hashes that go to TRAIN
     * @param validationRatio  share that goes to VALIDATION; TEST gets the rest
     * @param confirmMinRating feedback rated at least this (1-5) without a correction confirms the predicted label;
     *                         0 disables the rule
     * @param flipMaxRating    on a two-label task, feedback rated at most this without a correction labels the text
     *                         with the other label; 0 disables the rule
     */
    public record Defaults(
            Duration maxFutureSkew,
            Duration maxEventAge,
            Duration dedupeHorizon,
            double trainRatio,
            double validationRatio,
            int confirmMinRating,
            int flipMaxRating) {

        public Defaults {
            require(trainRatio >= 0 && validationRatio >= 0 && trainRatio + validationRatio <= 1.0 + 1e-9,
                    "split ratios must be >= 0 and train + validation <= 1, got " + trainRatio + " + "
                            + validationRatio);
            require(!dedupeHorizon.isNegative() && !maxFutureSkew.isNegative() && !maxEventAge.isNegative(),
                    "durations must not be negative");
            require(confirmMinRating >= 0 && confirmMinRating <= 5 && flipMaxRating >= 0 && flipMaxRating <= 5,
                    "ratings are 1..5 (0 disables a rule)");
            require(flipMaxRating == 0 || confirmMinRating == 0 || flipMaxRating < confirmMinRating,
                    "feedback-flip-max-rating must be below feedback-confirm-min-rating");
        }

        /** The built-in values, documented in the README; {@code application.yml} can override each. */
        public static Defaults builtIn() {
            return new Defaults(Duration.ofMinutes(5), Duration.ofDays(365), Duration.ofDays(7), 0.70, 0.15, 4, 0);
        }

        public Defaults withEventTimeBounds(Duration newFutureSkew, Duration newMaxAge) {
            return new Defaults(newFutureSkew, newMaxAge, dedupeHorizon, trainRatio, validationRatio,
                    confirmMinRating, flipMaxRating);
        }

        public Defaults withDedupeHorizon(Duration newHorizon) {
            return new Defaults(maxFutureSkew, maxEventAge, newHorizon, trainRatio, validationRatio,
                    confirmMinRating, flipMaxRating);
        }

        public Defaults withSplit(double newTrain, double newValidation) {
            return new Defaults(maxFutureSkew, maxEventAge, dedupeHorizon, newTrain, newValidation,
                    confirmMinRating, flipMaxRating);
        }

        public Defaults withFeedbackRatings(int newConfirmMin, int newFlipMax) {
            return new Defaults(maxFutureSkew, maxEventAge, dedupeHorizon, trainRatio, validationRatio,
                    newConfirmMin, newFlipMax);
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
