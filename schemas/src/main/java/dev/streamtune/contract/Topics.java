package dev.streamtune.contract;

import java.time.Duration;
import java.util.List;

import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.AnnotationRequest;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.DriftReport;
import dev.streamtune.schema.FeedbackEvent;
import dev.streamtune.schema.LabelledExample;
import dev.streamtune.schema.PredictionLog;
import dev.streamtune.schema.PromotionDecision;
import dev.streamtune.schema.RejectedRecord;
import dev.streamtune.schema.RetrainRequest;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.schema.TrainingWindow;

/**
 * The catalogue of every topic the services share, in pipeline order. Services take names and serdes from here
 * and nowhere else; the kafka-io module's {@code TopicProvisioner} creates them.
 *
 * <p>The two input topics also accept JSON lines so a plain client (kcat) can produce; ingest sniffs the format
 * per record. Everything downstream is Avro single-object encoded.
 */
public final class Topics {

    private static final Duration WEEK = Duration.ofDays(7);
    private static final Duration MONTH = Duration.ofDays(30);

    // Read first by every service: the labels and policies of each task (written only by the evaluator).
    public static final TopicSpec TASKS = new TopicSpec("tasks", TaskDefinition.class,
            "task", 1, true, null);
    public static final TopicSpec LABELLED_EXAMPLES = new TopicSpec("examples.labelled", LabelledExample.class,
            "example id", 3, false, WEEK);
    public static final TopicSpec FEEDBACK_EVENTS = new TopicSpec("feedback.events", FeedbackEvent.class,
            "request id", 3, false, WEEK);
    public static final TopicSpec CLEAN_EXAMPLES = new TopicSpec("examples.clean", CleanExample.class,
            "task", 3, false, MONTH);
    public static final TopicSpec REJECTED_RECORDS = new TopicSpec("examples.rejected", RejectedRecord.class,
            "original key", 1, false, MONTH);
    // Co-partitioned with examples.clean (same key, same count): trainer workers own whole tasks.
    public static final TopicSpec CLOSED_WINDOWS = new TopicSpec("windows.closed", TrainingWindow.class,
            "task", 3, false, null);
    public static final TopicSpec ADAPTER_CANDIDATES = new TopicSpec("adapters.candidates", AdapterCandidate.class,
            "task", 1, false, null);
    public static final TopicSpec PROMOTION_DECISIONS = new TopicSpec("promotion.decisions", PromotionDecision.class,
            "task", 1, false, null);
    public static final TopicSpec DEPLOYMENTS = new TopicSpec("deployments", Deployment.class,
            "task", 1, true, null);
    public static final TopicSpec DRIFT_REPORTS = new TopicSpec("drift.reports", DriftReport.class,
            "task", 1, false, null);
    public static final TopicSpec RETRAIN_REQUESTS = new TopicSpec("retrain.requests", RetrainRequest.class,
            "task", 3, false, WEEK);
    public static final TopicSpec PREDICTION_LOG = new TopicSpec("predictions.log", PredictionLog.class,
            "request id", 3, false, WEEK);
    // Predictions serving chose for a human label (AnnotationRequest); labels come back on feedback.events.
    public static final TopicSpec ANNOTATION_REQUESTS = new TopicSpec("annotation.requests", AnnotationRequest.class,
            "prediction id", 3, false, WEEK);

    public static final List<TopicSpec> ALL = List.of(
            TASKS, LABELLED_EXAMPLES, FEEDBACK_EVENTS, CLEAN_EXAMPLES, REJECTED_RECORDS, CLOSED_WINDOWS,
            ADAPTER_CANDIDATES, PROMOTION_DECISIONS, DEPLOYMENTS, DRIFT_REPORTS, RETRAIN_REQUESTS, PREDICTION_LOG,
            ANNOTATION_REQUESTS);

    private Topics() {
    }

    public static TopicSpec byName(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No topic named " + name + " in the catalogue"));
    }
}
