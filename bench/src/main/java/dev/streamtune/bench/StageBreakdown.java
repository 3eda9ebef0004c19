package dev.streamtune.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where a window's training time goes, per method (or per window, {@link FreshnessBench}): the trainer's stage
 * times (read from each candidate's metrics with {@link dev.streamtune.trainer.training.StageTimes#secondsByStage})
 * averaged over the windows and seeds a method ran, as one markdown table.
 */
final class StageBreakdown {

    private StageBreakdown() {
    }

    /**
     * One row per method (in the order given), one column per stage (in the order stages first appear), each cell
     * the mean seconds per window ("-" where the method never ran the stage), and the sum.
     *
     * @param windowsByMethod each method's windows, each window's seconds by stage
     */
    static String table(Map<String, List<Map<String, Double>>> windowsByMethod) {
        return table("method", windowsByMethod);
    }

    /**
     * The same table with other rows (one per window, for the freshness bench).
     *
     * @param rowHeading what a row is, the first column's heading
     */
    static String table(String rowHeading, Map<String, List<Map<String, Double>>> windowsByMethod) {
        Set<String> columns = new LinkedHashSet<>();
        windowsByMethod.values().forEach(windows -> windows.forEach(w -> columns.addAll(w.keySet())));
        if (columns.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("| " + rowHeading + " |");
        columns.forEach(stage -> out.append(' ').append(stage).append(" |"));
        out.append(" sum |\n|---|").append("---|".repeat(columns.size() + 1)).append('\n');
        windowsByMethod.forEach((method, windows) -> {
            out.append("| ").append(method).append(" |");
            double sum = 0;
            for (String stage : columns) {
                List<Double> values = new ArrayList<>();
                windows.forEach(w -> {
                    if (w.containsKey(stage)) {
                        values.add(w.get(stage));
                    }
                });
                if (values.isEmpty()) {
                    out.append(" - |");
                    continue;
                }
                // Mean over all the method's windows: a stage that ran in some windows only (growth) costs less.
                double mean = values.stream().mapToDouble(Double::doubleValue).sum() / windows.size();
                sum += mean;
                out.append(String.format(Locale.ROOT, " %.2f |", mean));
            }
            out.append(String.format(Locale.ROOT, " %.1f |%n", sum));
        });
        return out.toString();
    }
}
