package dev.streamtune.evaluator.drift;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.streamtune.schema.DriftReport;
import dev.streamtune.schema.DriftSignal;

/**
 * Which fired drift tests ask the trainer to retrain (evaluator.drift.retrain-on): test names, or prefixes ending in
 * {@code *} ({@code slice.*}, {@code served.*}); {@code *} alone is every test. A test that fired but is not listed
 * is still reported, so it shows on the dashboard without retraining.
 */
public final class RetrainPolicy {

    /** Signals named in a retrain request's reason; the request's signals list has them all. */
    static final int REASON_SIGNALS = 4;

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

    /**
     * A retrain request's reason, one line for logs: e.g. {@code drift: input.embedding.auc 0.912 > 0.561 (p 0.001),
     * input.token.js 0.606 > 0.188 (p 0.001) and 14 more}. The signals carry every test with its evidence.
     */
    public static String reason(List<DriftSignal> signals) {
        int shown = Math.min(REASON_SIGNALS, signals.size());
        String listed = String.join(", ", signals.subList(0, shown).stream().map(signal -> String.format(
                Locale.ROOT, "%s %.3f > %.3f (p %.3f)", signal.getTest(), signal.getScore(), signal.getThreshold(),
                signal.getPValue() == null ? Double.NaN : signal.getPValue())).toList());
        return "drift: " + listed + (signals.size() > shown ? " and " + (signals.size() - shown) + " more" : "");
    }
}
