package dev.streamtune.bench;

import java.util.List;

/**
 * What one method did on one seed's stream, in the numbers the benchmark reports.
 *
 * @param replayShare           the trainer's replay buffer after the last window over the training examples seen
 *                              (0 without replay; 1 for joint, which keeps every example)
 * @param trainSecondsPerWindow mean training time per window
 */
record RunMetrics(String method, long seed, double averageAccuracy, double backwardTransfer, double forgetting,
                  double replayShare, double trainSecondsPerWindow) {

    static RunMetrics of(String method, long seed, AccuracyMatrix accuracy, double replayShare,
                         List<Double> trainSeconds) {
        return new RunMetrics(method, seed, accuracy.averageAccuracy(), accuracy.backwardTransfer(),
                accuracy.forgetting(), replayShare,
                trainSeconds.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
    }
}
