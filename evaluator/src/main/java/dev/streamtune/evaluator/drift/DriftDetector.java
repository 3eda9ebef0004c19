package dev.streamtune.evaluator.drift;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.streamtune.schema.DriftReport;
import dev.streamtune.schema.TrainingWindow;

/**
 * Compares a closed window with a reference window of the same task on inputs (token and length distributions),
 * labels and, when served predictions are known for both, on predicted labels.
 */
public final class DriftDetector {

    private final DriftThresholds thresholds;

    public DriftDetector(DriftThresholds thresholds) {
        this.thresholds = thresholds;
    }

    /**
     * @param referencePredictions predicted-label counts served during the reference window; empty if unknown
     * @param currentPredictions   predicted-label counts served during the current window; empty if unknown
     */
    public DriftReport compare(TrainingWindow reference, TrainingWindow current,
                               Map<String, Long> referencePredictions, Map<String, Long> currentPredictions,
                               Instant now) {
        if (!reference.getTask().equals(current.getTask())) {
            throw new IllegalArgumentException("Cannot compare windows of different tasks: "
                    + reference.getTask() + " and " + current.getTask());
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put(DriftThresholds.INPUT_TOKEN_JS,
                Divergence.jensenShannonDistance(reference.getTopTokens(), current.getTopTokens()));
        if (reference.getLengthBucketBounds().equals(current.getLengthBucketBounds())) {
            scores.put(DriftThresholds.INPUT_LENGTH_PSI, Divergence.populationStabilityIndex(
                    buckets(reference.getLengthHistogram()), buckets(current.getLengthHistogram())));
        }
        scores.put(DriftThresholds.LABEL_JS,
                Divergence.jensenShannonDistance(reference.getLabelHistogram(), current.getLabelHistogram()));
        if (!referencePredictions.isEmpty() && !currentPredictions.isEmpty()) {
            scores.put(DriftThresholds.PREDICTION_JS,
                    Divergence.jensenShannonDistance(referencePredictions, currentPredictions));
        }

        Map<String, Double> limits = thresholds.asMap();
        List<String> exceeded = new ArrayList<>();
        scores.forEach((name, score) -> {
            if (score > limits.get(name)) {
                exceeded.add(name);
            }
        });
        return DriftReport.newBuilder()
                .setReportId(UUID.randomUUID().toString())
                .setTask(current.getTask())
                .setWindowId(current.getWindowId())
                .setReferenceWindowId(reference.getWindowId())
                .setCreatedAt(now)
                .setScores(scores)
                .setThresholds(limits)
                .setExceeded(exceeded)
                .setRetrainTriggered(!exceeded.isEmpty())
                .build();
    }

    private static Map<String, Long> buckets(List<Long> histogram) {
        Map<String, Long> map = new LinkedHashMap<>();
        for (int i = 0; i < histogram.size(); i++) {
            map.put(Integer.toString(i), histogram.get(i));
        }
        return map;
    }
}
