package dev.streamtune.evaluator.drift;

/**
 * How drift is tested (evaluator.drift.*; application.yml explains each default).
 *
 * @param falseAlarmRate       the chance that a window drawn from the reference distribution fires any test
 * @param permutations         regroupings per test family; at least 1/falseAlarmRate per family
 * @param sampleSize           texts compared per group (a window's examples, a window's served predictions):
 *                             also caps the power, so that a huge window does not flag a negligible shift
 * @param minWindowExamples    windows with fewer examples are neither judged nor used as a reference
 * @param minSliceExamples     a slice value is tested on its own when both groups have this many of it
 * @param maxSlices            at most this many slice values are tested per window (the most common first)
 * @param minServedPredictions served predictions a window needs before served traffic is tested
 * @param minDomainAuc         effect floor: the domain classifier must reach this AUC to fire, however significant
 * @param minConfidenceDrop    effect floor: the estimated accuracy must fall by this much to fire
 */
public record DriftPolicy(double falseAlarmRate, int permutations, int sampleSize, long minWindowExamples,
                          int minSliceExamples, int maxSlices, int minServedPredictions, double minDomainAuc,
                          double minConfidenceDrop) {

    /**
     * Tokens of each text its sentence embedding sees. 64, not the model's 128: embedding a window while the trainer
     * trains on the same cores costs the trainer time (the freshness bench: 49 s of embedding at 128 tokens, 600
     * e-mails, made a round 40 s slower), and a text's first 64 tokens carry its topic and register.
     */
    public static final int EMBEDDING_TOKENS = 64;

    public DriftPolicy {
        if (!(falseAlarmRate > 0 && falseAlarmRate < 1)) {
            throw new IllegalArgumentException("evaluator.drift.false-alarm-rate must be in (0, 1), got "
                    + falseAlarmRate);
        }
        // Three families share the rate: each needs at least 1 / (rate / 3) permutations to be able to fire.
        if (permutations < Math.ceil(3 / falseAlarmRate)) {
            throw new IllegalArgumentException("evaluator.drift.permutations must be at least "
                    + (int) Math.ceil(3 / falseAlarmRate) + " for a false-alarm rate of " + falseAlarmRate
                    + ", got " + permutations);
        }
        if (sampleSize < 20) {
            throw new IllegalArgumentException("evaluator.drift.sample-size must be at least 20, got " + sampleSize);
        }
    }

    public static DriftPolicy defaults() {
        return new DriftPolicy(0.01, 999, 300, 50, 30, 8, 50, 0.55, 0.02);
    }

    /** The least a test's statistic must reach to fire, whatever its p-value. */
    double minEffect(String test) {
        if (test.endsWith(DomainClassifierAuc.NAME)) {
            return minDomainAuc;
        }
        if (test.endsWith(ConfidenceDrop.NAME)) {
            return minConfidenceDrop;
        }
        return 0;
    }
}
