package dev.streamtune.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import dev.streamtune.trainer.training.StageTimes;

/**
 * How fresh the served model is: for each window, the time from its last example being produced until serving
 * answers with the adapter trained on it, stage by stage (ingest, trainer, evaluator, serving), and the tables
 * {@link FreshnessBench} reports. Computed from the times the pipeline's own records carry and the moment the bench
 * saw serving answer; every service runs on the bench's machine, so they share one clock.
 *
 * @param windows in the order they were sent
 */
record FreshnessTimeline(List<Window> windows) {

    /**
     * How far the slope of "window closed -> serving" over the window index must move from zero, as a share of its
     * mean per window, to call the latency growing or shrinking: on a shared 2-core machine one window's latency
     * varies by about this much from run to run.
     */
    static final double GROWTH_THRESHOLD = 0.10;

    FreshnessTimeline {
        windows = List.copyOf(windows);
    }

    /**
     * One window's way through the pipeline.
     *
     * @param index            0-based position in the run
     * @param lastProduced     the producer's timestamp of the window's last example
     * @param closed           the manifest's closedAt: ingest's clock when the window reached its count
     * @param candidate        the candidate's createdAt: the trainer's clock when it published it
     * @param candidateMetrics the candidate's validation metrics ({@code train.seconds}, {@code examples.per.second},
     *                         {@code time.<stage>.seconds}, ...)
     * @param decided          the decision's decidedAt: the evaluator's clock
     * @param verdict          the decision's verdict (APPROVED, REJECTED)
     * @param reasons          the gate's reasons that did not pass (empty for an approval)
     * @param candidateAccuracy the candidate's accuracy on the window's test split as the evaluator measured it
     *                         (its report), served or not; null when the decision carries no report
     * @param served           when the bench first saw serving answer with the candidate's adapter; null when it
     *                         never will (a rejected candidate)
     * @param servedAccuracy   the served adapter's accuracy on the window's test split; null when not measured
     */
    record Window(int index, String windowId, long trainExamples, long validationExamples, long testExamples,
                  Instant lastProduced, Instant closed, String candidateId, Instant candidate,
                  Map<String, Double> candidateMetrics, Instant decided, String verdict, List<String> reasons,
                  Double candidateAccuracy, Instant served, Double servedAccuracy) {

        Window {
            Objects.requireNonNull(lastProduced);
            Objects.requireNonNull(closed);
            Objects.requireNonNull(candidate);
            Objects.requireNonNull(decided);
            candidateMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(candidateMetrics)); // stages in order
            reasons = List.copyOf(reasons);
        }

        double producedToClosed() {
            return seconds(lastProduced, closed);
        }

        double closedToCandidate() {
            return seconds(closed, candidate);
        }

        double candidateToDecision() {
            return seconds(candidate, decided);
        }

        /** NaN when serving never answered with the candidate. */
        double decisionToServing() {
            return served == null ? Double.NaN : seconds(decided, served);
        }

        /** The freshness lag of the window: from its close to serving answering with what was trained on it. */
        double closedToServing() {
            return served == null ? Double.NaN : seconds(closed, served);
        }

        double metric(String name) {
            return candidateMetrics.getOrDefault(name, Double.NaN);
        }

        private static double seconds(Instant from, Instant to) {
            return Duration.between(from, to).toMillis() / 1e3;
        }
    }

    /** One row per window: every stage in seconds, the verdict, the served accuracy. */
    String table() {
        StringBuilder out = new StringBuilder("| window | examples train / validation / test | produced -> closed s "
                + "(ingest) | closed -> candidate s (trainer) | train s | examples/s | candidate -> decision s "
                + "(evaluator) | candidate accuracy (test) | decision | decision -> serving s | closed -> serving s "
                + "| served accuracy (test) |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Window w : windows) {
            out.append(String.format(Locale.ROOT, "| %d | %d / %d / %d | %.1f | %.1f | %.1f | %.0f | %.1f | %s | %s "
                            + "| %s | %s | %s |%n", w.index() + 1, w.trainExamples(), w.validationExamples(),
                    w.testExamples(), w.producedToClosed(), w.closedToCandidate(), w.metric("train.seconds"),
                    w.metric("examples.per.second"), w.candidateToDecision(), accuracy(w.candidateAccuracy()),
                    w.verdict().toLowerCase(Locale.ROOT), orDash(w.decisionToServing(), "%.1f"),
                    orDash(w.closedToServing(), "%.1f"), accuracy(w.servedAccuracy())));
        }
        return out.toString();
    }

    /**
     * The candidates' accuracy on their windows' test splits (the evaluator's figure, rejected candidates
     * included): what a change of training settings gains or costs, beside what it saves in time.
     */
    String accuracySummary() {
        List<Double> accuracies = windows.stream().map(Window::candidateAccuracy).filter(Objects::nonNull).toList();
        if (accuracies.isEmpty()) {
            return "Candidates' test accuracy: not reported.";
        }
        return String.format(Locale.ROOT, "Candidates' test accuracy (the evaluator's): mean %.3f over %d window%s "
                        + "(%s).", accuracies.stream().mapToDouble(Double::doubleValue).average().orElseThrow(),
                accuracies.size(), accuracies.size() == 1 ? "" : "s",
                String.join(", ", accuracies.stream().map(FreshnessTimeline::accuracy).toList()));
    }

    private static String accuracy(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.3f", value);
    }

    /**
     * The trainer's own stage times per window ({@code time.<stage>.seconds} of each candidate), the costliest
     * first: a candidate's metrics arrive as an Avro map, which does not keep the order the stages ran in.
     */
    String stageTable() {
        Map<String, List<Map<String, Double>>> byWindow = new LinkedHashMap<>();
        windows.forEach(w -> {
            Map<String, Double> costliestFirst = new LinkedHashMap<>();
            StageTimes.secondsByStage(w.candidateMetrics()).entrySet().stream()
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .forEach(e -> costliestFirst.put(e.getKey(), e.getValue()));
            byWindow.put(String.valueOf(w.index() + 1), List.of(costliestFirst));
        });
        return StageBreakdown.table("window", byWindow);
    }

    /** Why a candidate was not served: one line per rejected window. */
    List<String> rejections() {
        return windows.stream().filter(w -> w.served() == null).map(w -> String.format(Locale.ROOT,
                "window %d: %s %s%s", w.index() + 1, w.candidateId(), w.verdict().toLowerCase(Locale.ROOT),
                w.reasons().isEmpty() ? "" : ": " + String.join("; ", w.reasons()))).toList();
    }

    /** Mean and max of "window closed -> serving" over the served windows, and whether it grows with the index. */
    String summary() {
        List<Window> served = windows.stream().filter(w -> w.served() != null).toList();
        if (served.isEmpty()) {
            return "Window closed -> serving: no window's candidate was served.";
        }
        double mean = served.stream().mapToDouble(Window::closedToServing).average().orElseThrow();
        double max = served.stream().mapToDouble(Window::closedToServing).max().orElseThrow();
        String out = String.format(Locale.ROOT, "Window closed -> serving: mean %.1f s, max %.1f s over %d served "
                + "window%s", mean, max, served.size(), served.size() == 1 ? "" : "s");
        if (served.size() < 2) {
            return out + "; one window cannot show a trend.";
        }
        double slope = slope(served);
        String trend = slope > GROWTH_THRESHOLD * mean ? "grows" : slope < -GROWTH_THRESHOLD * mean ? "shrinks"
                : "does not grow";
        return out + String.format(Locale.ROOT, "; %s with the window index (least-squares slope %+.1f s per window; "
                + "a slope within ±%.0f%% of the mean counts as flat).", trend, slope, GROWTH_THRESHOLD * 100);
    }

    /** Least-squares slope of closed -> serving over the window index. */
    private static double slope(List<Window> served) {
        double meanX = served.stream().mapToDouble(Window::index).average().orElseThrow();
        double meanY = served.stream().mapToDouble(Window::closedToServing).average().orElseThrow();
        double covariance = 0;
        double variance = 0;
        for (Window w : served) {
            covariance += (w.index() - meanX) * (w.closedToServing() - meanY);
            variance += (w.index() - meanX) * (w.index() - meanX);
        }
        return covariance / variance;
    }

    private static String orDash(double value, String format) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
    }
}
