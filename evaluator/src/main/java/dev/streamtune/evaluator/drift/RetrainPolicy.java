package dev.streamtune.evaluator.drift;

import java.util.ArrayList;
import java.util.List;

import dev.streamtune.schema.DriftReport;
import dev.streamtune.schema.DriftSignal;

/**
 * Which fired drift tests ask the trainer to retrain (evaluator.drift.retrain-on): test names, or prefixes ending in
 * {@code *} ({@code slice.*}, {@code served.*}); {@code *} alone is every test. A test that fired but is not listed
 * is still reported, so it shows on the dashboard without retraining.
 */
public final class RetrainPolicy {

    private final List<String> patterns;

    public RetrainPolicy(List<String> patterns) {
        for (String pattern : patterns) {
            if (pattern.isBlank() || pattern.indexOf('*') >= 0 && pattern.indexOf('*') != pattern.length() - 1) {
                throw new IllegalArgumentException("evaluator.drift.retrain-on: '" + pattern
                        + "' is not a test name or a prefix ending in *");
            }
        }
        this.patterns = List.copyOf(patterns);
    }

    public boolean actsOn(String test) {
        return patterns.stream().anyMatch(p -> p.endsWith("*")
                ? test.startsWith(p.substring(0, p.length() - 1)) : test.equals(p));
    }

    /** The fired tests this policy acts on, with the figures that made them fire. */
    public List<DriftSignal> signals(DriftReport report) {
        List<DriftSignal> signals = new ArrayList<>();
        for (String test : report.getExceeded()) {
            if (actsOn(test)) {
                signals.add(DriftSignal.newBuilder().setTest(test).setScore(report.getScores().get(test))
                        .setThreshold(report.getThresholds().get(test)).setPValue(report.getPValues().get(test))
                        .setEvidence(report.getEvidence().get(test)).build());
            }
        }
        return signals;
    }
}
