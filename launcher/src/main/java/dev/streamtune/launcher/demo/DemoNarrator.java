package dev.streamtune.launcher.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamtune.contract.RecordVerifier;
import dev.streamtune.contract.TopicSpec;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TopicFollower;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.ClassificationMetrics;
import dev.streamtune.schema.DriftReport;
import dev.streamtune.schema.PromotionDecision;
import dev.streamtune.schema.TrainingWindow;
import dev.streamtune.schema.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the demo's story one line per event, from the topics themselves (window closed, candidate trained, gate
 * verdict, drift) and from the serving API (which adapter answers now), plus a periodic summary of the users.
 */
public final class DemoNarrator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("demo");
    private static final List<TopicSpec> TOLD = List.of(Topics.CLOSED_WINDOWS, Topics.ADAPTER_CANDIDATES,
            Topics.PROMOTION_DECISIONS, Topics.DRIFT_REPORTS);
    private static final Duration SUMMARY_EVERY = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI servingUrl;
    private final DemoTraffic traffic;
    private final TopicFollower follower;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "demo-narrator-timer");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private long nextSummary = System.nanoTime() + SUMMARY_EVERY.toNanos();
    private String servedAdapter;
    /** The rollout serving shows now (candidate, stage, share), to tell each change once. */
    private String servedRollout = "";

    private long lastPredictions;
    private long lastCorrections;

    /**
     * @param verifier decisions are told only when signed by the evaluator, as every service reads them
     */
    public DemoNarrator(KafkaConnection connection, URI servingUrl, DemoTraffic traffic, RecordVerifier verifier) {
        this.servingUrl = servingUrl;
        this.traffic = traffic;
        // This run's story only: records from the narrator's start on (TopicFollower resumes after a fault).
        Instant from = Instant.now();
        this.follower = new TopicFollower("demo-narrator", connection, TOLD, topic -> from, verifier,
                (topic, value, timestamp) -> tell(value));
    }

    public void start() {
        follower.start();
        timer.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** Tells the story as it happens, and checks serving and the users on a timer of its own. */
    private void tick() {
        checkServedAdapter();
        if (System.nanoTime() > nextSummary) {
            summarizeUsers();
            nextSummary += SUMMARY_EVERY.toNanos();
        }
    }

    private void tell(Object value) {
        if (value instanceof TrainingWindow window) {
            LOG.info("ingest: window {} closed ({}): {} train / {} validation / {} test, labels {}",
                    window.getWindowId(), window.getCloseReason(), window.getTrainCount(),
                    window.getValidationCount(), window.getTestCount(), window.getLabelHistogram());
        } else if (value instanceof AdapterCandidate candidate) {
            Map<String, Double> metrics = candidate.getValidationMetrics();
            LOG.info("trainer: candidate {} trained in {} s from {}, validation accuracy {}",
                    candidate.getCandidateId(), format(metrics.get("train.seconds"), "%.1f"),
                    candidate.getParentAdapterId() == null ? "the base model" : candidate.getParentAdapterId(),
                    format(metrics.get("validation.accuracy"), "%.3f"));
        } else if (value instanceof PromotionDecision decision) {
            if (decision.getReport() == null && !decision.getReasons().isEmpty()) {
                // A rollout step (ADVANCED, HELD, ROLLED_BACK) or an operator's call: its reason is the story.
                LOG.info("evaluator: {} {} ({}): {}", decision.getVerdict(), decision.getCandidateId(),
                        decision.getDecidedBy(), decision.getReasons().get(decision.getReasons().size() - 1));
                return;
            }
            LOG.info("evaluator: {} {} ({}): {}", decision.getVerdict(), decision.getCandidateId(),
                    decision.getDecidedBy(), scores(decision));
            if (decision.getVerdict() == Verdict.APPROVED) {
                decision.getReasons().stream().filter(reason -> reason.startsWith("ROLLOUT")).findFirst()
                        .ifPresent(reason -> LOG.info("evaluator:   {}", reason));
            }
            if (decision.getVerdict() != Verdict.APPROVED && !decision.getReasons().isEmpty()) {
                LOG.info("evaluator:   because {}", decision.getReasons().stream()
                        .filter(reason -> reason.startsWith("FAIL"))
                        .findFirst().orElse(decision.getReasons().get(0)));
            }
        } else if (value instanceof DriftReport drift) {
            // Only what fired, and slices counted rather than listed: a report holds a score per test and slice.
            List<String> whole = drift.getExceeded().stream().filter(test -> !test.startsWith("slice.")).toList();
            long slices = drift.getExceeded().size() - whole.size();
            String fired = drift.getExceeded().isEmpty() ? "no test fired" : whole.stream()
                    .map(test -> test + " " + format(drift.getScores().get(test), "%.2f") + " (over "
                            + format(drift.getThresholds().get(test), "%.2f") + ")")
                    .collect(Collectors.joining(", ")) + (slices == 0 ? "" : (whole.isEmpty() ? "" : ", ")
                    + slices + " slice tests");
            LOG.info("evaluator: drift of {} vs {}: {}{}", drift.getWindowId(),
                    Objects.requireNonNullElse(drift.getReferenceWindowId(), "itself"), fired,
                    drift.getRetrainTriggered() ? " -> retraining requested" : "");
        }
    }

    private static String scores(PromotionDecision decision) {
        if (decision.getReport() == null) {
            return "operator decision";
        }
        ClassificationMetrics candidate = decision.getReport().getCandidate().getTest();
        StringBuilder text = new StringBuilder("test accuracy " + format(candidate.getAccuracy(), "%.3f")
                + " on " + candidate.getExamples());
        if (decision.getReport().getChampion() != null) {
            text.append(" vs champion ").append(format(decision.getReport().getChampion().getTest().getAccuracy(),
                    "%.3f"));
        }
        ClassificationMetrics retention = decision.getReport().getCandidate().getRetention();
        if (retention != null) {
            text.append(", retention ").append(format(retention.getAccuracy(), "%.3f"));
        }
        return text.toString();
    }

    /** Hot swaps are seen where users see them: in the serving API's current model. */
    private void checkServedAdapter() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            servingUrl.resolve("/v1/tasks/" + DriftingReviews.TASK + "/model"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return;
            }
            var model = JSON.readTree(response.body());
            String adapter = model.path("adapterId").asText();
            if (!adapter.equals(servedAdapter)) {
                LOG.info("serving: now answering {} with {}{}", DriftingReviews.TASK, adapter,
                        servedAdapter == null ? "" : " (hot-swapped from " + servedAdapter + ")");
                servedAdapter = adapter;
            }
            var rollout = model.path("rollout");
            String now = rollout.isObject() ? rollout.path("candidateId").asText() + " "
                    + rollout.path("stage").asText() + " " + rollout.path("share").asDouble() : "";
            if (!now.equals(servedRollout) && (rollout.isObject() ? rollout.path("loaded").asBoolean() : true)) {
                if (rollout.isObject()) {
                    LOG.info("serving: {} of {} on {}% of {} beside {}",
                            rollout.path("stage").asText().toLowerCase(Locale.ROOT),
                            rollout.path("candidateId").asText(),
                            Math.round(100 * rollout.path("share").asDouble()),
                            rollout.path("stage").asText().equals("CANARY") ? "the users" : "the requests", adapter);
                } else if (!servedRollout.isEmpty()) {
                    LOG.info("serving: rollout over; {} answers everyone", adapter);
                }
                servedRollout = now;
            }
        } catch (java.io.IOException e) {
            // serving is starting or stopping; the next poll tells
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void summarizeUsers() {
        long predictions = traffic.predictionsMade();
        long corrections = traffic.correctionsSent();
        long recent = predictions - lastPredictions;
        if (recent > 0) {
            LOG.info("users: {} predictions in the last {} s, {}% corrected through /v1/feedback; {} examples "
                            + "produced so far, now {}", recent, SUMMARY_EVERY.toSeconds(),
                    Math.round(100.0 * (corrections - lastCorrections) / recent), traffic.examplesProduced(),
                    traffic.currentEra());
        }
        lastPredictions = predictions;
        lastCorrections = corrections;
    }

    private static String format(Double value, String pattern) {
        return value == null ? "?" : String.format(Locale.ROOT, pattern, value);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        follower.close();
    }
}
