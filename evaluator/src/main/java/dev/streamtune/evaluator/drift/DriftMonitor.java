package dev.streamtune.evaluator.drift;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.streamtune.schema.DriftReport;
import dev.streamtune.schema.PredictionLog;
import dev.streamtune.schema.TrainingWindow;

/**
 * Watches closed windows and served predictions per task and reports drift of each new window against a reference:
 * the task's first window, or the window before it. Holds only small histograms; rebuilt by replaying its topics.
 */
public final class DriftMonitor {

    /** Which earlier window a new one is compared with. */
    public enum Reference { FIRST, PREVIOUS }

    private final DriftDetector detector;
    private final Reference reference;
    private final long minWindowExamples;
    private final Map<String, TrainingWindow> referenceByTask = new HashMap<>();
    /** task -> served-at minute -> predicted label -> count; minute buckets keep it small and windowable. */
    private final Map<String, TreeMap<Long, Map<String, Long>>> predictions = new HashMap<>();

    /**
     * @param minWindowExamples windows with fewer examples are neither judged nor used as a reference: a handful of
     *                          texts (a window closed by age around some feedback) always looks drifted
     */
    public DriftMonitor(DriftDetector detector, Reference reference, long minWindowExamples) {
        this.detector = detector;
        this.reference = reference;
        this.minWindowExamples = minWindowExamples;
    }

    public void onPrediction(PredictionLog prediction) {
        long minute = prediction.getServedAt().toEpochMilli() / 60_000;
        predictions.computeIfAbsent(prediction.getTask(), t -> new TreeMap<>())
                .computeIfAbsent(minute, m -> new HashMap<>())
                .merge(prediction.getPredictedLabel(), 1L, Long::sum);
    }

    /**
     * Returns the drift report for this window, or empty for a task's first window (nothing to compare with) and
     * for windows too small to judge.
     */
    public Optional<DriftReport> onWindow(TrainingWindow window, Instant now) {
        if (window.getTrainCount() + window.getValidationCount() + window.getTestCount() < minWindowExamples) {
            return Optional.empty();
        }
        TrainingWindow previousReference = referenceByTask.get(window.getTask());
        if (previousReference == null || reference == Reference.PREVIOUS) {
            referenceByTask.put(window.getTask(), window);
        }
        if (previousReference == null) {
            return Optional.empty();
        }
        return Optional.of(detector.compare(previousReference, window, predictedDuring(previousReference),
                predictedDuring(window), now));
    }

    private Map<String, Long> predictedDuring(TrainingWindow window) {
        Map<String, Long> counts = new TreeMap<>();
        TreeMap<Long, Map<String, Long>> byMinute = predictions.get(window.getTask());
        if (byMinute != null) {
            byMinute.subMap(window.getStart().toEpochMilli() / 60_000, true, window.getEnd().toEpochMilli() / 60_000, true)
                    .values().forEach(bucket -> bucket.forEach((label, n) -> counts.merge(label, n, Long::sum)));
        }
        return counts;
    }
}
