package dev.streamtune.serving;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import dev.streamtune.contract.RecordVerifier;
import dev.streamtune.contract.TopicSpec;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.TopicFollower;
import dev.streamtune.schema.DriftReport;
import dev.streamtune.schema.FeedbackEvent;
import dev.streamtune.schema.PredictionLog;
import dev.streamtune.schema.TrainingWindow;
import dev.streamtune.service.KafkaConfig;
import dev.streamtune.serving.annotation.AnnotationRequester;
import dev.streamtune.serving.dashboard.DashboardHistory;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;

/**
 * Feeds the drift dashboard (and the annotation requester: drifted slices, labels coming back): drift reports and closed windows from the beginning, served predictions and feedback
 * from {@code serving.dashboard.lookback} ago (they are the high-volume topics).
 */
@Context
public final class DashboardFeed implements AutoCloseable {

    private final TopicFollower follower;

    DashboardFeed(ServingSettings settings, KafkaConfig kafka, DashboardHistory history, Clock clock,
                  RecordVerifier verifier, AnnotationRequester annotations) {
        Instant since = clock.instant().minus(settings.dashboard().lookback());
        this.follower = new TopicFollower("serving-dashboard", kafka.connection(),
                List.of(Topics.DRIFT_REPORTS, Topics.CLOSED_WINDOWS, Topics.PREDICTION_LOG, Topics.FEEDBACK_EVENTS),
                (TopicSpec topic) -> topic == Topics.PREDICTION_LOG || topic == Topics.FEEDBACK_EVENTS ? since : null,
                verifier,
                (topic, value, timestamp) -> {
                    if (value instanceof PredictionLog prediction) {
                        history.onPrediction(prediction);
                    } else if (value instanceof FeedbackEvent feedback) {
                        history.onFeedback(feedback);
                        annotations.feedback(feedback);
                    } else if (value instanceof DriftReport report) {
                        history.onDriftReport(report);
                        annotations.driftReported(report);
                    } else if (value instanceof TrainingWindow window) {
                        history.onWindow(window);
                    }
                }).start();
    }

    public boolean alive() {
        return follower.alive();
    }

    /** The follower's loop and what it skipped, for health. */
    TopicFollower follower() {
        return follower;
    }

    public boolean caughtUp() {
        return follower.caughtUp();
    }

    @PreDestroy
    @Override
    public void close() {
        follower.close();
    }
}
