package dev.streamtune.serving.predict;

import java.time.Instant;
import java.util.List;

import dev.streamtune.model.Prediction;
import dev.streamtune.schema.ServingRole;

/**
 * What one predict call was answered with. Every text of a call is predicted in the same forward pass, so all by
 * the same adapter.
 *
 * @param requestId     id of the call
 * @param predictions   one per text, in request order
 * @param labels        the adapter's labels (what a feedback correction may name)
 * @param latencyMicros from arrival to answer, queueing included (a shadow answer: its forward pass)
 * @param role          who answered: the champion, a rollout's canary candidate (the user got this answer), or the
 *                      candidate in shadow (nobody did)
 * @param champion      a shadow answer's counterpart: what the champion answered the same call; null otherwise
 */
public record Answer(String requestId, String task, String adapterId, String baseModelId, List<String> labels,
                     List<Served> predictions, Instant servedAt, long latencyMicros, ServingRole role,
                     Answer champion) {

    public Answer {
        if ((role == ServingRole.SHADOW) != (champion != null)) {
            throw new IllegalArgumentException("a shadow answer, and only one, names the champion's answer");
        }
    }

    /** The champion's answer to a call. */
    public Answer(String requestId, String task, String adapterId, String baseModelId, List<String> labels,
                  List<Served> predictions, Instant servedAt, long latencyMicros) {
        this(requestId, task, adapterId, baseModelId, labels, predictions, servedAt, latencyMicros,
                ServingRole.CHAMPION, null);
    }

    /** Whether a user got this answer (a shadow answer reached nobody). */
    public boolean seenByUser() {
        return role != ServingRole.SHADOW;
    }

    /**
     * One text's prediction.
     *
     * @param predictionId the id feedback refers to and the prediction log is keyed by: the request id for a
     *                     single text, {@code <requestId>-<index>} for the texts of a batch
     * @param text         the text the model read: cut to the task's text policy when it was longer
     * @param truncated    whether the text was cut (the caller is told, per text)
     */
    public record Served(String predictionId, String text, boolean truncated, Prediction prediction) {
    }
}
