package dev.streamtune.model;

/**
 * Temperature scaling (Guo et al. 2017, "On Calibration of Modern Neural Networks"): one scalar {@code T > 0}
 * divides every logit before the softmax, fitted by minimising the negative log-likelihood of held-out labels.
 * It changes no prediction (the arg max of {@code z / T} is the arg max of {@code z}), only how confident the
 * probabilities are: {@code T > 1} softens an over-confident model, {@code T < 1} sharpens an under-confident one.
 *
 * <p>Pure Java on logits and label indices, so it is tested without a model.
 */
public final class TemperatureScaling {

    /** The search range: wide enough for any model we train, narrow enough that a degenerate set cannot run off. */
    public static final double MIN_TEMPERATURE = 0.05;
    public static final double MAX_TEMPERATURE = 20;

    /** Golden-section steps on log T: the bracket shrinks by 0.618 each, so 60 steps reach ~1e-12 of ln(400). */
    private static final int STEPS = 60;
    private static final double INVERSE_PHI = (Math.sqrt(5) - 1) / 2;

    private TemperatureScaling() {}

    /**
     * The fitted temperature and the mean NLL at {@code T = 1} and at the fitted {@code T}.
     *
     * @param examples how many examples it was fitted on
     */
    public record Fit(double temperature, double nllBefore, double nllAfter, int examples) {}

    /**
     * The temperature in {@code [MIN_TEMPERATURE, MAX_TEMPERATURE]} minimising the mean NLL of {@code labels} under
     * {@code softmax(logits / T)}. The NLL is convex in {@code 1/T}, hence unimodal in {@code log T}, so a
     * golden-section search on {@code log T} finds its minimum (at a bound when the data ask for more).
     *
     * @param logits one row per example, one column per class
     * @param labels the true class index of each row
     */
    public static Fit fit(float[][] logits, int[] labels) {
        check(logits, labels);
        if (logits.length == 0) {
            throw new IllegalArgumentException("cannot fit a temperature on no examples");
        }
        double lo = Math.log(MIN_TEMPERATURE);
        double hi = Math.log(MAX_TEMPERATURE);
        double a = hi - INVERSE_PHI * (hi - lo);
        double b = lo + INVERSE_PHI * (hi - lo);
        double fa = nll(logits, labels, Math.exp(a));
        double fb = nll(logits, labels, Math.exp(b));
        for (int i = 0; i < STEPS; i++) {
            if (fa <= fb) {
                hi = b;
                b = a;
                fb = fa;
                a = hi - INVERSE_PHI * (hi - lo);
                fa = nll(logits, labels, Math.exp(a));
            } else {
                lo = a;
                a = b;
                fa = fb;
                b = lo + INVERSE_PHI * (hi - lo);
                fb = nll(logits, labels, Math.exp(b));
            }
        }
        double t = Math.exp((lo + hi) / 2);
        // The plain model stays when scaling does not help (e.g. all-correct, where NLL falls towards T -> 0 only
        // by a rounding error's worth): a temperature must earn its place.
        double before = nll(logits, labels, 1);
        double after = nll(logits, labels, t);
        return after < before ? new Fit(t, before, after, logits.length) : new Fit(1, before, before, logits.length);
    }

    /** Mean negative log-likelihood of {@code labels} under {@code softmax(logits / temperature)}. */
    public static double nll(float[][] logits, int[] labels, double temperature) {
        check(logits, labels);
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            float[] row = logits[i];
            double max = Double.NEGATIVE_INFINITY;
            for (float z : row) {
                max = Math.max(max, z / temperature);
            }
            double exp = 0;
            for (float z : row) {
                exp += Math.exp(z / temperature - max);
            }
            sum += max + Math.log(exp) - row[labels[i]] / temperature; // logsumexp(z/T) - z_y/T
        }
        return sum / logits.length;
    }

    /** {@code softmax(logits / temperature)} of one row, in double precision. */
    public static double[] softmax(float[] logits, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (float z : logits) {
            max = Math.max(max, z / temperature);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int c = 0; c < logits.length; c++) {
            p[c] = Math.exp(logits[c] / temperature - max);
            sum += p[c];
        }
        for (int c = 0; c < p.length; c++) {
            p[c] /= sum;
        }
        return p;
    }

    /** Checks that {@code temperature} can be stored and applied: finite and positive. */
    public static float requireValid(double temperature) {
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and > 0: " + temperature);
        }
        return (float) temperature;
    }

    private static void check(float[][] logits, int[] labels) {
        if (logits.length != labels.length) {
            throw new IllegalArgumentException(logits.length + " logit rows but " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= logits[i].length) {
                throw new IllegalArgumentException("label " + labels[i] + " of row " + i + " is not among its "
                        + logits[i].length + " classes");
            }
        }
    }
}
