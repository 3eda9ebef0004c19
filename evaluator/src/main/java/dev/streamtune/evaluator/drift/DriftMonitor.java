package dev.streamtune.evaluator.drift;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.streamtune.contract.ServedAnswers;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.DriftReport;
import dev.streamtune.schema.FeedbackEvent;
import dev.streamtune.schema.PerformanceEstimate;
import dev.streamtune.schema.PredictionLog;
import dev.streamtune.schema.TrainingWindow;

/**
 * Watches examples, closed windows, served predictions and feedback per task, and says when a window is ready to be
 * tested against its reference (the task's first window, or the one before it) and with what: a bounded sample of
 * each window's examples (drawn by content hash, so a replay draws the same one), a sample of the texts served
 * during each window, and per-minute counts of served confidence and of feedback verdicts for the label-free
 * performance estimate. Rebuilt by replaying its topics; memory is bounded by the policy's sample size, the number
 * of windows kept and the served history.
 *
 * <p>Not thread-safe: owned by the evaluator's consumer thread.
 */
public final class DriftMonitor {

    /** Which earlier window a new one is compared with. */
    public enum Reference { FIRST, PREVIOUS }

    /** Window samples kept at most (references and windows awaiting their report are never dropped). */
    static final int MAX_WINDOW_SAMPLES = 64;
    /** Served minutes kept per task: a window's served traffic must fall within it to be tested. */
    static final Duration SERVED_HISTORY = Duration.ofHours(2);

    private final DriftDetector detector;
    private final Reference reference;
    private final DriftPolicy policy;
    private final LinkedHashMap<String, BottomKSample> windowSamples = new LinkedHashMap<>();
    private final Map<String, TrainingWindow> referenceByTask = new HashMap<>();
    /** window id -> what was served during it, frozen when it became a reference (its minutes may be pruned). */
    private final Map<String, List<DriftItem>> servedDuringReference = new HashMap<>();
    private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
    private final Set<String> reported = new HashSet<>();
    private final Map<String, TreeMap<Long, ServedMinute>> served = new HashMap<>();

    private record Pending(TrainingWindow window, TrainingWindow reference, Instant arrivedAt) {
    }

    /** One task's served traffic in one minute. */
    private static final class ServedMinute {
        final BottomKSample sample;
        long predictions;
        double confidence;
        long right;
        long wrong;

        ServedMinute(int sampleSize) {
            sample = new BottomKSample(sampleSize);
        }
    }

    public DriftMonitor(DriftDetector detector, Reference reference) {
        this.detector = detector;
        this.reference = reference;
        this.policy = detector.policy();
    }

    public void onExample(CleanExample example) {
        windowSamples.computeIfAbsent(example.getWindowId(), w -> new BottomKSample(policy.sampleSize()))
                .add(DriftItem.example(example.getContentHash(), example.getText(), example.getLabel(),
                        example.getAttributes()));
        evictSamples();
    }

    public void onPrediction(PredictionLog prediction) {
        double confidence = ServedAnswers.confidence(prediction);
        ServedMinute minute = minute(prediction.getTask(), prediction.getServedAt());
        minute.predictions++;
        minute.confidence += confidence;
        minute.sample.add(DriftItem.served(prediction.getRequestId(), prediction.getText(),
                prediction.getPredictedLabel(), confidence));
    }

    /**
     * Counts feedback into the minute of served traffic it was given in. feedback.events is written by anyone, so
     * feedback never creates a minute: a made-up task or time can neither grow memory nor, by a time far ahead,
     * prune the history of real traffic.
     */
    public void onFeedback(FeedbackEvent feedback) {
        Boolean right = ServedAnswers.judgedRight(feedback);
        TreeMap<Long, ServedMinute> minutes = served.get(feedback.getTask());
        ServedMinute minute = minutes == null ? null : minutes.get(minuteOf(feedback.getEventTime()));
        if (right == null || minute == null) {
            return;
        }
        minute.right += right ? 1 : 0;
        minute.wrong += right ? 0 : 1;
    }

    /**
     * A closed window: the task's first window (large enough) becomes its reference; a later one waits for its
     * examples and is then reported ({@link #ready}).
     */
    public void onWindow(TrainingWindow window, Instant now) {
        if (total(window) < policy.minWindowExamples()) {
            windowSamples.remove(window.getWindowId()); // never judged, never a reference
            return;
        }
        if (pending.containsKey(window.getWindowId()) || isReference(window.getWindowId())) {
            return; // the same manifest read twice
        }
        TrainingWindow previous = referenceByTask.get(window.getTask());
        if (previous == null || reference == Reference.PREVIOUS) {
            // A window already reported still moves the reference on, so a replay ends with the same reference.
            referenceByTask.put(window.getTask(), window);
            servedDuringReference.put(window.getWindowId(), servedDuring(window));
        }
        if (previous != null && !reported.contains(window.getWindowId())) {
            pending.put(window.getWindowId(), new Pending(window, previous, now));
        }
        forgetUnneeded(previous == null ? null : previous.getWindowId());
    }

    /** A report already published (read back at replay, or just written): that window is done. */
    public void onReport(DriftReport report) {
        done(report.getWindowId());
    }

    /** Gives up on a window's report (it could not be computed); a restart's replay will try it once more. */
    public void abandon(String windowId) {
        done(windowId);
    }

    private void done(String windowId) {
        reported.add(windowId);
        Pending finished = pending.remove(windowId);
        if (finished != null) { // else its manifest is still to come (a replay): it may become the next reference
            forgetUnneeded(windowId);
            forgetUnneeded(finished.reference().getWindowId());
        }
    }

    /**
     * Windows whose examples have all arrived (examples.clean partitions can lag the manifest), or that waited
     * {@code patience} for them, oldest first.
     */
    public List<String> ready(Instant now, Duration patience) {
        return ready(now, patience, windowId -> true, Duration.ZERO);
    }

    /**
     * As {@link #ready(Instant, Duration)}, and only once {@code judged} says a candidate trained on the window has
     * been decided, or {@code trainingWait} has passed since the window closed. A report embeds its window's texts,
     * and on a small machine that competes with the trainer training on the very same window: the freshness bench's
     * second window took 35 s longer to serve while its report ran beside its training.
     */
    public List<String> ready(Instant now, Duration patience, java.util.function.Predicate<String> judged,
                              Duration trainingWait) {
        List<String> ready = new ArrayList<>();
        pending.forEach((id, p) -> {
            BottomKSample sample = windowSamples.get(id);
            long seen = sample == null ? 0 : sample.seen();
            Duration waited = Duration.between(p.arrivedAt(), now);
            boolean examplesIn = seen >= total(p.window()) || !waited.minus(patience).isNegative();
            boolean trainerDone = judged.test(id) || !waited.minus(trainingWait).isNegative();
            if (examplesIn && trainerDone) {
                ready.add(id);
            }
        });
        return ready;
    }

    /** Tests a ready window against its reference; the caller publishes the report and hands it to onReport. */
    public DriftReport report(String windowId, Instant now) {
        Pending p = pending.get(windowId);
        if (p == null) {
            throw new IllegalArgumentException("Window " + windowId + " is not awaiting a drift report");
        }
        return detector.compare(new DriftDetector.Comparison(p.window().getTask(), p.reference().getWindowId(),
                windowId, sampleOf(p.reference().getWindowId()), sampleOf(windowId),
                servedDuringReference.getOrDefault(p.reference().getWindowId(), List.of()), servedDuring(p.window()),
                performance(p.window())), now);
    }

    private List<DriftItem> sampleOf(String windowId) {
        BottomKSample sample = windowSamples.get(windowId);
        return sample == null ? List.of() : sample.items();
    }

    private List<DriftItem> servedDuring(TrainingWindow window) {
        BottomKSample union = new BottomKSample(policy.sampleSize());
        minutesOf(window).values().forEach(minute -> union.addAll(minute.sample));
        return union.items();
    }

    /** The champion's served traffic during the window: expected accuracy from confidence, measured from feedback. */
    private PerformanceEstimate performance(TrainingWindow window) {
        long predictions = 0;
        double confidence = 0;
        long right = 0;
        long wrong = 0;
        for (ServedMinute minute : minutesOf(window).values()) {
            predictions += minute.predictions;
            confidence += minute.confidence;
            right += minute.right;
            wrong += minute.wrong;
        }
        return PerformanceEstimate.newBuilder().setServedPredictions(predictions)
                .setEstimatedAccuracy(predictions == 0 ? null : confidence / predictions)
                .setJudgedByFeedback(right + wrong)
                .setFeedbackAccuracy(right + wrong == 0 ? null : (double) right / (right + wrong)).build();
    }

    private Map<Long, ServedMinute> minutesOf(TrainingWindow window) {
        TreeMap<Long, ServedMinute> minutes = served.get(window.getTask());
        if (minutes == null) {
            return Map.of();
        }
        return minutes.subMap(minuteOf(window.getStart()), true, minuteOf(window.getEnd()), true);
    }

    /** The task's minute holding {@code at}; the history is pruned to {@link #SERVED_HISTORY} behind the newest. */
    private ServedMinute minute(String task, Instant at) {
        long key = minuteOf(at);
        TreeMap<Long, ServedMinute> minutes = served.computeIfAbsent(task, t -> new TreeMap<>());
        ServedMinute minute = minutes.computeIfAbsent(key, k -> new ServedMinute(policy.sampleSize()));
        long oldest = minutes.lastKey() - SERVED_HISTORY.toMinutes();
        while (minutes.firstKey() < oldest) {
            minutes.pollFirstEntry();
        }
        return minute;
    }

    /** Served traffic and feedback are counted per minute: small to keep, and any window's span can be cut from it. */
    private static long minuteOf(Instant at) {
        return at.toEpochMilli() / 60_000;
    }

    private boolean isReference(String windowId) {
        return referenceByTask.values().stream().anyMatch(w -> w.getWindowId().equals(windowId));
    }

    /** A window's sample is needed while it is a reference, awaits its report, or is the reference of one that does. */
    private boolean isNeeded(String windowId) {
        return isReference(windowId) || pending.containsKey(windowId)
                || pending.values().stream().anyMatch(p -> p.reference().getWindowId().equals(windowId));
    }

    /** Drops the sample of a closed window that is no longer a reference, pending, or a pending one's reference. */
    private void forgetUnneeded(String windowId) {
        if (windowId != null && !isNeeded(windowId)) {
            windowSamples.remove(windowId);
            servedDuringReference.remove(windowId);
        }
    }

    /** Drops the oldest samples of windows that are neither a reference nor awaiting a report. */
    private void evictSamples() {
        Iterator<String> oldest = windowSamples.keySet().iterator();
        while (windowSamples.size() > MAX_WINDOW_SAMPLES && oldest.hasNext()) {
            String id = oldest.next();
            if (!isNeeded(id)) {
                oldest.remove();
            }
        }
    }

    private static long total(TrainingWindow window) {
        return window.getTrainCount() + window.getValidationCount() + window.getTestCount();
    }
}
