package dev.streamtune.evaluator.catalogue;

/**
 * Why the catalogue refused a change, with the HTTP status the API answers it with. Thrown by
 * {@link TaskCatalogueCommands} before anything is written.
 */
public final class TaskChangeRefused extends RuntimeException {

    /** The kinds of refusal, each with its status code (the API table in evaluator/README.md lists them). */
    public enum Reason {
        /** A malformed name, label, policy or override key, a missing field, nothing to change. */
        INVALID(400),
        /** No task of that name in the catalogue. */
        UNKNOWN_TASK(404),
        /** Creating a task whose name is taken (retired tasks keep their name). */
        TASK_EXISTS(409),
        /** A label given twice, or one the task already has. */
        DUPLICATE_LABEL(409),
        /** A change that the task's state forbids: a retired task, pausing a paused one, resuming an active one. */
        STATE_CONFLICT(409),
        /** More labels than {@link dev.streamtune.contract.TaskCatalogue#MAX_LABELS}. */
        TOO_MANY_LABELS(422);

        private final int httpStatus;

        Reason(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Reason reason;

    public TaskChangeRefused(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
