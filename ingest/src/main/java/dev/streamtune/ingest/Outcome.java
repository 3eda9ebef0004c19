package dev.streamtune.ingest;

/**
 * What a step that can reject forwards: the step's result, or the record's rejection. The topology splits the two
 * right after the step, so each step's output reads as "accepted values" and rejections meet in one dead-letter
 * sink.
 */
public sealed interface Outcome<T> permits Outcome.Accepted, Outcome.Rejected {

    static <T> Outcome<T> accepted(T value) {
        return new Accepted<>(value);
    }

    static <T> Outcome<T> rejected(Rejection rejection) {
        return new Rejected<>(rejection);
    }

    record Accepted<T>(T value) implements Outcome<T> {
    }

    record Rejected<T>(Rejection rejection) implements Outcome<T> {
    }
}
