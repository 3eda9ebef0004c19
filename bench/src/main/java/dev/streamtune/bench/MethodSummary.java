package dev.streamtune.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** One method's {@link RunMetrics} over several seeds: mean and sample standard deviation of each. */
record MethodSummary(String method, int seeds, Spread averageAccuracy, Spread backwardTransfer, Spread forgetting,
                     Spread replayShare, Spread trainSecondsPerWindow) {

    /**
     * Mean and sample standard deviation (n - 1 in the denominator: the seeds are a sample of the runs one could
     * make); the deviation is NaN for a single value, where it is not defined.
     */
    record Spread(double mean, double std) {

        static Spread of(double... values) {
            if (values.length == 0) {
                return new Spread(Double.NaN, Double.NaN);
            }
            double mean = 0;
            for (double v : values) {
                mean += v;
            }
            mean /= values.length;
            if (values.length == 1) {
                return new Spread(mean, Double.NaN);
            }
            double squares = 0;
            for (double v : values) {
                squares += (v - mean) * (v - mean);
            }
            return new Spread(mean, Math.sqrt(squares / (values.length - 1)));
        }

        /**
         * "0.806 ± 0.012" with the given format for both (a spread is never signed: "-0.140 ± 0.001" from
         * {@code %+.3f}), or only the mean for a single seed.
         */
        String format(String format) {
            String m = String.format(Locale.ROOT, format, mean);
            return Double.isNaN(std) ? m : m + " ± " + String.format(Locale.ROOT, format.replace("+", ""), std);
        }
    }

    /** One summary per method, in the order the methods first appear. */
    static List<MethodSummary> byMethod(List<RunMetrics> runs) {
        Map<String, List<RunMetrics>> grouped = new LinkedHashMap<>();
        runs.forEach(run -> grouped.computeIfAbsent(run.method(), m -> new ArrayList<>()).add(run));
        List<MethodSummary> summaries = new ArrayList<>();
        grouped.forEach((method, list) -> summaries.add(new MethodSummary(method, list.size(),
                spread(list, RunMetrics::averageAccuracy), spread(list, RunMetrics::backwardTransfer),
                spread(list, RunMetrics::forgetting), spread(list, RunMetrics::replayShare),
                spread(list, RunMetrics::trainSecondsPerWindow))));
        return summaries;
    }

    private static Spread spread(List<RunMetrics> runs, ToDoubleFunction<RunMetrics> metric) {
        return Spread.of(runs.stream().mapToDouble(metric).toArray());
    }
}
