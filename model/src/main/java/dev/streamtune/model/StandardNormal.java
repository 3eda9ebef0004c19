package dev.streamtune.model;

/**
 * The standard normal distribution function and its quantile (the JDK has no erf): for the trainer's TPE search
 * (Gaussian masses of truncated kernels) and the evaluator's rollout tests (p-values and confidence bounds).
 */
public final class StandardNormal {

    private StandardNormal() {
    }

    /** P(Z <= z). */
    public static double cdf(double z) {
        return 0.5 * erfc(-z / Math.sqrt(2));
    }

    /** The z with P(Z <= z) = p, for p in (0, 1): by bisection on {@link #cdf}, to about 1e-12 (called rarely). */
    public static double quantile(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("a probability in (0, 1), not " + p);
        }
        double low = -40;
        double high = 40;
        for (int i = 0; i < 100; i++) {
            double mid = (low + high) / 2;
            if (cdf(mid) < p) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return (low + high) / 2;
    }

    /** Complementary error function, Chebyshev fit with fractional error below 1.2e-7 (Numerical Recipes' erfcc). */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
