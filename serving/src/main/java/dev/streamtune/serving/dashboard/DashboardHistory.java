package dev.streamtune.serving.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

import dev.streamtune.contract.ServedAnswers;
import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.DriftReport;
import dev.streamtune.schema.FeedbackEvent;
import dev.streamtune.schema.PerformanceEstimate;
import dev.streamtune.schema.PredictionLog;
import dev.streamtune.schema.PromotionDecision;
import dev.streamtune.schema.TrainingWindow;
import dev.streamtune.serving.dashboard.TaskDashboard.DeploymentPoint;
import dev.streamtune.serving.dashboard.TaskDashboard.DriftPoint;
import dev.streamtune.serving.dashboard.TaskDashboard.FeedbackBucket;
import dev.streamtune.serving.dashboard.TaskDashboard.PerformancePoint;
import dev.streamtune.serving.dashboard.TaskDashboard.PredictionBucket;
import dev.streamtune.serving.dashboard.TaskDashboard.SwapPoint;
import dev.streamtune.serving.dashboard.TaskDashboard.WindowPoint;

/**
 * The time series behind the drift dashboard, per task, folded from the pipeline's topics: drift reports, closed
 * windows' label histograms, served predictions and feedback (counted in fixed time buckets), deployments, and this
 * process's own swap outcomes. Bounded: each series keeps its latest {@code maxPoints} points. Thread-safe.
 */
public final class DashboardHistory {

    private final long bucketMillis;
    private final int maxPoints;
    private final Clock clock;
    private final ConcurrentMap<String, TaskSeries> tasks = new ConcurrentHashMap<>();

    public DashboardHistory(Duration bucket, int maxPoints, Clock clock) {
        if (bucket.toMillis() < 1 || maxPoints < 1) {
            throw new IllegalArgumentException("bucket must be at least 1 ms and maxPoints positive");
        }
        this.bucketMillis = bucket.toMillis();
        this.maxPoints = maxPoints;
        this.clock = clock;
    }

    private static final class Counts {
        long total;
        final Map<String, Long> labels = new TreeMap<>();
        double confidenceSum;
        double latencyMillisSum;
        long right;
        long wrong;
    }

    private static final class RolloutCounts {
        long championServed;
        long championCorrected;
        long canaryServed;
        long canaryCorrected;
        long shadowPairs;
        long shadowDisagreements;
    }

    private final class TaskSeries {
        final TreeMap<Long, RolloutCounts> rollout = new TreeMap<>();
        /** The latest deployment's trial candidate: feedback on its answers counts for the canary. */
        String candidate;
        final Deque<DriftPoint> drift = new ArrayDeque<>();
        final Deque<WindowPoint> windows = new ArrayDeque<>();
        final TreeMap<Long, Counts> predictions = new TreeMap<>();
        final TreeMap<Long, Counts> feedback = new TreeMap<>();
        final Deque<Deployment> deployments = new ArrayDeque<>();
        final Deque<SwapPoint> swaps = new ArrayDeque<>();

        <T> void add(Deque<T> series, T point) {
            series.addLast(point);
            while (series.size() > maxPoints) {
                series.removeFirst();
            }
        }

        <C> C bucket(TreeMap<Long, C> series, Instant at, java.util.function.Supplier<C> empty) {
            long start = Math.floorDiv(at.toEpochMilli(), bucketMillis) * bucketMillis;
            C counts = series.computeIfAbsent(start, k -> empty.get());
            while (series.size() > maxPoints) {
                series.pollFirstEntry();
            }
            return counts;
        }
    }

    private TaskSeries series(String task) {
        return tasks.computeIfAbsent(task, t -> new TaskSeries());
    }

    public void onDriftReport(DriftReport report) {
        TaskSeries s = series(report.getTask());
        synchronized (s) {
            PerformanceEstimate p = report.getPerformance();
            s.add(s.drift, new DriftPoint(report.getCreatedAt(), report.getWindowId(), report.getReferenceWindowId(),
                    Map.copyOf(report.getScores()), Map.copyOf(report.getThresholds()),
                    Map.copyOf(report.getPValues()), Map.copyOf(report.getEvidence()),
                    List.copyOf(report.getExceeded()), report.getRetrainTriggered(), report.getFalseAlarmRate(),
                    p == null ? null : new PerformancePoint(p.getServedPredictions(), p.getEstimatedAccuracy(),
                            p.getJudgedByFeedback(), p.getFeedbackAccuracy())));
        }
    }

    public void onWindow(TrainingWindow window) {
        TaskSeries s = series(window.getTask());
        synchronized (s) {
            s.add(s.windows, new WindowPoint(window.getClosedAt(), window.getWindowId(), window.getSequence(),
                    window.getTrainCount() + window.getValidationCount() + window.getTestCount(),
                    new TreeMap<>(window.getLabelHistogram())));
        }
    }

    public void onPrediction(PredictionLog prediction) {
        TaskSeries s = series(prediction.getTask());
        double confidence = ServedAnswers.confidence(prediction);
        synchronized (s) {
            RolloutCounts r = s.bucket(s.rollout, prediction.getServedAt(), RolloutCounts::new);
            switch (prediction.getRole()) {
                case SHADOW -> {
                    r.shadowPairs++;
                    if (!prediction.getPredictedLabel().equals(prediction.getChampionLabel())) {
                        r.shadowDisagreements++;
                    }
                    return; // nobody got a shadow answer: it is not served traffic
                }
                case CANARY -> r.canaryServed++;
                case CHAMPION -> r.championServed++;
            }
            Counts c = s.bucket(s.predictions, prediction.getServedAt(), Counts::new);
            c.total++;
            c.labels.merge(prediction.getPredictedLabel(), 1L, Long::sum);
            c.confidenceSum += confidence;
            c.latencyMillisSum += prediction.getLatencyMicros() / 1000.0;
        }
    }

    /**
     * Counts feedback for a task the dashboard already charts (from its deployments, windows, drift reports or
     * served predictions). Feedback never starts a task's series: feedback.events is an input topic that any
     * producer writes to, and each made-up task name would otherwise stay in memory and on /v1/tasks.
     */
    public void onFeedback(FeedbackEvent feedback) {
        TaskSeries s = tasks.get(feedback.getTask());
        if (s == null) {
            return;
        }
        Boolean right = ServedAnswers.judgedRight(feedback);
        synchronized (s) {
            Counts c = s.bucket(s.feedback, feedback.getEventTime(), Counts::new);
            c.total++;
            if (Boolean.TRUE.equals(right)) {
                c.right++;
            } else if (Boolean.FALSE.equals(right)) {
                c.wrong++;
                RolloutCounts r = s.bucket(s.rollout, feedback.getEventTime(), RolloutCounts::new);
                if (feedback.getModelVersion().equals(s.candidate)) {
                    r.canaryCorrected++;
                } else {
                    r.championCorrected++;
                }
            }
        }
    }

    public void onDeployment(Deployment deployment) {
        TaskSeries s = series(deployment.getTask());
        synchronized (s) {
            s.add(s.deployments, deployment);
            if (deployment.getTrial() != null) {
                s.candidate = deployment.getTrial().getCandidateId();
            }
        }
    }

    /** This process's outcome for a deployment (SWAPPED, REJECTED, SUPERSEDED). */
    public void onSwap(String task, String adapterId, String outcome, String detail, Instant at) {
        TaskSeries s = series(task);
        synchronized (s) {
            s.add(s.swaps, new SwapPoint(at, adapterId, outcome, detail));
        }
    }

    /** Every task any record was seen for. */
    public Set<String> tasks() {
        return new TreeSet<>(tasks.keySet());
    }

    public boolean knows(String task) {
        return tasks.containsKey(task);
    }

    /**
     * The task's series, oldest first.
     *
     * @param decisions finds the decision a deployment names, to show its verdict and reasons
     */
    public TaskDashboard snapshot(String task, Function<String, Optional<PromotionDecision>> decisions) {
        TaskSeries s = tasks.get(task);
        if (s == null) {
            return new TaskDashboard(task, clock.instant(), bucketMillis, List.of(), List.of(), List.of(),
                    List.of(), List.of(), List.of(), null, List.of());
        }
        List<DriftPoint> drift;
        List<WindowPoint> windows;
        List<PredictionBucket> predictions = new ArrayList<>();
        List<FeedbackBucket> feedback = new ArrayList<>();
        List<Deployment> deployments;
        List<SwapPoint> swaps;
        List<TaskDashboard.RolloutBucket> rolloutLive = new ArrayList<>();
        synchronized (s) {
            drift = new ArrayList<>(s.drift);
            windows = new ArrayList<>(s.windows);
            s.predictions.forEach((start, c) -> predictions.add(new PredictionBucket(Instant.ofEpochMilli(start),
                    c.total, Map.copyOf(c.labels), c.confidenceSum / c.total, c.latencyMillisSum / c.total)));
            s.feedback.forEach((start, c) -> feedback.add(new FeedbackBucket(Instant.ofEpochMilli(start), c.total,
                    c.right, c.wrong, c.right + c.wrong == 0 ? null : (double) c.right / (c.right + c.wrong))));
            deployments = new ArrayList<>(s.deployments);
            swaps = new ArrayList<>(s.swaps);
            s.rollout.forEach((start, r) -> rolloutLive.add(new TaskDashboard.RolloutBucket(
                    Instant.ofEpochMilli(start), r.championServed, r.championCorrected, r.canaryServed,
                    r.canaryCorrected, r.shadowPairs, r.shadowDisagreements)));
        }
        drift.sort(Comparator.comparing(DriftPoint::at));
        windows.sort(Comparator.comparing(WindowPoint::closedAt));
        List<DeploymentPoint> deployed = deployments.stream()
                .sorted(Comparator.comparing(Deployment::getDeployedAt))
                .map(d -> {
                    Optional<PromotionDecision> decision = decisions.apply(d.getDecisionId());
                    return new DeploymentPoint(d.getDeployedAt(), d.getAdapterId(), d.getPreviousAdapterId(),
                            d.getDecisionId(), d.getPinned(), decision.map(x -> x.getVerdict().name()).orElse(null),
                            decision.map(PromotionDecision::getDecidedBy).orElse(null),
                            decision.map(x -> List.copyOf(x.getReasons())).orElse(List.of()),
                            d.getTrial() == null ? null : d.getTrial().getCandidateId(),
                            d.getTrial() == null ? null : d.getTrial().getStage().name(),
                            d.getTrial() == null ? null : d.getTrial().getShare());
                }).toList();
        TaskDashboard.RolloutNow rollout = deployments.stream().max(Comparator.comparing(Deployment::getDeployedAt))
                .filter(d -> d.getTrial() != null)
                .map(d -> new TaskDashboard.RolloutNow(d.getAdapterId(), d.getTrial().getCandidateId(),
                        d.getTrial().getStage().name(), d.getTrial().getShare(), d.getTrial().getStep(),
                        d.getTrial().getSteps(), d.getTrial().getStepStartedAt(), d.getPinned()))
                .orElse(null);
        return new TaskDashboard(task, clock.instant(), bucketMillis, drift, windows, predictions, feedback,
                deployed, swaps, rollout, rolloutLive);
    }
}
