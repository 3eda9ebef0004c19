package dev.streamtune.serving;

import java.time.Duration;
import java.util.List;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * The serving tier's configuration, bound from {@code application.yml} (where every default lives and is
 * explained) and overridable by environment variables ({@code SERVING_BATCH_MAX_SIZE} for
 * {@code serving.batch.max-size}).
 *
 * @param maxTextsPerRequest  texts one predict call may carry (413 beyond)
 * @param maxTextLength       characters (UTF-16 units) one text may have at all (413 beyond): the hard bound; a
 *                            text over its task's text policy but under this is truncated, not refused
 * @param maxIdLength         characters of a request id, an adapter id or a label in a request (413 beyond)
 * @param maxAttributes       attributes one feedback may carry (413 beyond)
 * @param maxAttributeLength  characters of an attribute's key, and of its value (413 beyond)
 * @param recentPredictions   predictions remembered for joining feedback that names only a request id
 * @param apiTokens           bearer tokens accepted on predict and feedback, one per client; empty leaves them open
 * @param adminToken          bearer token callers must present on /admin; blank disables those endpoints
 * @param evaluatorUrl        where the evaluator's admin API answers; /admin calls are forwarded there
 * @param evaluatorAdminToken bearer token the evaluator expects
 */
@ConfigurationProperties("serving")
public record ServingSettings(
        int maxTextsPerRequest,
        int maxTextLength,
        int maxIdLength,
        int maxAttributes,
        int maxAttributeLength,
        int recentPredictions,
        List<String> apiTokens,
        String adminToken,
        String evaluatorUrl,
        String evaluatorAdminToken,
        Batch batch,
        Dashboard dashboard,
        Annotation annotation) {

    /** Without the tokens, which must never reach a log. */
    @Override
    public String toString() {
        return "ServingSettings[maxTextsPerRequest=" + maxTextsPerRequest
                + ", maxTextLength=" + maxTextLength + ", maxIdLength=" + maxIdLength + ", maxAttributes="
                + maxAttributes + ", maxAttributeLength=" + maxAttributeLength + ", recentPredictions="
                + recentPredictions + ", apiTokens=" + (apiTokens == null ? 0 : apiTokens.size()) + " configured"
                + ", evaluatorUrl=" + evaluatorUrl + ", batch=" + batch + ", dashboard=" + dashboard + ", annotation="
                + annotation + "]";
    }

    /**
     * Dynamic micro-batching of concurrent requests, per task.
     *
     * @param maxSize   texts per forward pass
     * @param maxWait   how long the first request of a batch waits for company
     * @param maxQueued texts waiting per task before new requests are refused with 503
     * @param workers      threads running forward passes per task
     * @param intraOpThreads the inference engine's threads within one forward pass; 0 = its default (one per core)
     */
    @ConfigurationProperties("batch")
    public record Batch(int maxSize, Duration maxWait, int maxQueued, int workers, int intraOpThreads) {
    }

    /**
     * What the drift dashboard keeps in memory, per task.
     *
     * @param bucket    width of the time buckets of the prediction and feedback series
     * @param lookback  how far back predictions.log and feedback.events are read at start-up
     * @param maxPoints points kept per series (buckets, windows, drift reports, deployments)
     */
    @ConfigurationProperties("dashboard")
    public record Dashboard(Duration bucket, Duration lookback, int maxPoints) {
    }

    /**
     * Which served predictions are sent for a human label ({@code annotation.requests}); see
     * {@link dev.streamtune.model.annotation.AnnotationPolicy} for each threshold.
     *
     * @param enabled false sends none
     */
    @ConfigurationProperties("annotation")
    public record Annotation(boolean enabled, double maxMargin, double rareLabelShare, int perHourBudget,
                             int dedupeMemory) {

        public dev.streamtune.model.annotation.AnnotationPolicy policy() {
            return new dev.streamtune.model.annotation.AnnotationPolicy(maxMargin, rareLabelShare, perHourBudget,
                    dedupeMemory);
        }
    }
}
