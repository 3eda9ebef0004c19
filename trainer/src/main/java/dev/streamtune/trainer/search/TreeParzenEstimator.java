package dev.streamtune.trainer.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.streamtune.model.StandardNormal;

/**
 * The Tree-structured Parzen Estimator (Bergstra et al., "Algorithms for Hyper-Parameter Optimization", 2011), as
 * hyperopt and Optuna's independent sampler run it: the first {@code startupTrials} points are drawn from the prior
 * (uniform over the space); after that each proposal splits the completed trials at the {@code gamma} quantile of
 * their loss into good and bad, fits a Parzen density to each ({@code l} and {@code g}, every dimension on its own,
 * each with a prior component), draws {@code candidates} points from {@code l} and returns the one with the largest
 * {@code l(x) / g(x)} (which maximises expected improvement under the TPE model).
 *
 * <p>A log-uniform dimension is modelled in log space by truncated Gaussian kernels, one per trial, plus the prior
 * (centred, as wide as the range); each kernel's width is the larger gap to its sorted neighbours, clipped to
 * [range / min(100, n + 1), range] (hyperopt's adaptive Parzen estimator). A categorical dimension is the trials'
 * counts per choice plus the prior weight spread evenly. Pure and seeded: the same seed and the same losses give the
 * same proposals.
 */
public final class TreeParzenEstimator {

    /** One searched quantity. */
    public sealed interface Dimension permits LogUniform, Categorical {
        String name();
    }

    /** A positive quantity searched on a log scale between {@code low} and {@code high} (a learning rate). */
    public record LogUniform(String name, double low, double high) implements Dimension {
        public LogUniform {
            if (!(low > 0) || !(high > low)) {
                throw new IllegalArgumentException(name + ": need 0 < low < high, was " + low + ", " + high);
            }
        }
    }

    /** One of a few values, unordered (a weight decay out of a short list). */
    public record Categorical(String name, List<Double> choices) implements Dimension {
        public Categorical {
            choices = List.copyOf(choices);
            if (choices.isEmpty()) {
                throw new IllegalArgumentException(name + ": need at least one choice");
            }
        }
    }

    /**
     * @param startupTrials points drawn from the prior before the model is used (the model needs a few losses)
     * @param gamma         share of the completed trials counted as good (at least one is)
     * @param candidates    points drawn from the good density per proposal; the best ratio wins
     * @param priorWeight   weight of the prior component in each density, against 1 per trial
     */
    public record Settings(int startupTrials, double gamma, int candidates, double priorWeight) {
        public Settings {
            if (startupTrials < 1 || !(gamma > 0 && gamma < 1) || candidates < 1 || !(priorWeight > 0)) {
                throw new IllegalArgumentException("TPE needs startupTrials >= 1, 0 < gamma < 1, candidates >= 1"
                        + " and a positive prior weight; was " + startupTrials + ", " + gamma + ", " + candidates
                        + ", " + priorWeight);
            }
        }
    }

    /** A completed trial: where it was and its loss (NaN or infinite: diverged, counted as the worst). */
    public record Observation(Map<String, Double> point, double loss) {
        public Observation {
            point = Map.copyOf(point);
            loss = Double.isNaN(loss) ? Double.POSITIVE_INFINITY : loss;
        }
    }

    private final List<Dimension> space;
    private final Settings settings;
    private final Random random;
    private final List<Observation> observations = new ArrayList<>();

    public TreeParzenEstimator(List<Dimension> space, Settings settings, long seed) {
        if (space.isEmpty()) {
            throw new IllegalArgumentException("nothing to search");
        }
        this.space = List.copyOf(space);
        this.settings = settings;
        this.random = new Random(seed);
    }

    /** The next point to evaluate (dimension name -> value, in the space's order). */
    public Map<String, Double> ask() {
        if (observations.size() < settings.startupTrials()) {
            Map<String, Double> point = new LinkedHashMap<>();
            space.forEach(d -> point.put(d.name(), fromPrior(d)));
            return point;
        }
        List<Observation> sorted = new ArrayList<>(observations);
        sorted.sort(Comparator.comparingDouble(Observation::loss)); // stable: ties keep trial order
        int good = Math.max(1, (int) Math.ceil(settings.gamma() * sorted.size()));
        List<Observation> below = sorted.subList(0, good);
        List<Observation> above = sorted.subList(good, sorted.size());
        List<Density> l = new ArrayList<>();
        List<Density> g = new ArrayList<>();
        for (Dimension d : space) {
            l.add(density(d, values(below, d)));
            g.add(density(d, values(above, d)));
        }
        Map<String, Double> best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < settings.candidates(); c++) {
            Map<String, Double> point = new LinkedHashMap<>();
            double score = 0;
            for (int i = 0; i < space.size(); i++) {
                double x = l.get(i).sample(random);
                point.put(space.get(i).name(), space.get(i) instanceof LogUniform ? Math.exp(x) : x);
                score += l.get(i).logDensity(x) - g.get(i).logDensity(x);
            }
            if (best == null || score > bestScore) {
                best = point;
                bestScore = score;
            }
        }
        return best;
    }

    /** Records the loss of a point (from {@link #ask}, or any point of the space). */
    public void tell(Map<String, Double> point, double loss) {
        for (Dimension d : space) {
            if (!point.containsKey(d.name())) {
                throw new IllegalArgumentException("point " + point + " has no " + d.name());
            }
        }
        observations.add(new Observation(point, loss));
    }

    public List<Observation> observations() {
        return List.copyOf(observations);
    }

    private double fromPrior(Dimension d) {
        if (d instanceof LogUniform u) {
            return Math.exp(Math.log(u.low()) + random.nextDouble() * (Math.log(u.high()) - Math.log(u.low())));
        }
        List<Double> choices = ((Categorical) d).choices();
        return choices.get(random.nextInt(choices.size()));
    }

    private static double[] values(List<Observation> trials, Dimension d) {
        return trials.stream().mapToDouble(o -> {
            double v = o.point().get(d.name());
            return d instanceof LogUniform ? Math.log(v) : v;
        }).toArray();
    }

    private Density density(Dimension d, double[] values) {
        if (d instanceof LogUniform u) {
            return new Parzen(Math.log(u.low()), Math.log(u.high()), values, settings.priorWeight());
        }
        return new Counts(((Categorical) d).choices(), values, settings.priorWeight());
    }

    /** A one-dimensional density that can be sampled (log space for a log-uniform dimension). */
    private interface Density {
        double sample(Random random);

        double logDensity(double x);
    }

    /** Truncated Gaussian kernels on [low, high], one per trial plus the prior. */
    private static final class Parzen implements Density {
        private final double low;
        private final double high;
        private final double[] mus;
        private final double[] sigmas;
        private final double[] weights;
        private final double[] masses; // each kernel's probability inside [low, high]

        Parzen(double low, double high, double[] values, double priorWeight) {
            this.low = low;
            this.high = high;
            double range = high - low;
            double priorMu = (low + high) / 2;
            int n = values.length + 1;
            // Kernels in sorted order with the prior among them, as hyperopt's adaptive Parzen estimator does.
            double[][] kernels = new double[n][2]; // {mu, isPrior}
            for (int i = 0; i < values.length; i++) {
                kernels[i] = new double[] {values[i], 0};
            }
            kernels[values.length] = new double[] {priorMu, 1};
            Arrays.sort(kernels, Comparator.comparingDouble((double[] k) -> k[0]).thenComparingDouble(k -> k[1]));
            mus = new double[n];
            sigmas = new double[n];
            weights = new double[n];
            masses = new double[n];
            double minSigma = range / Math.min(100.0, n + 1);
            double total = values.length + priorWeight;
            for (int i = 0; i < n; i++) {
                mus[i] = kernels[i][0];
                boolean prior = kernels[i][1] == 1;
                double left = i > 0 ? mus[i] - kernels[i - 1][0] : 0;
                double right = i < n - 1 ? kernels[i + 1][0] - mus[i] : 0;
                sigmas[i] = prior ? range : Math.min(range, Math.max(minSigma, Math.max(left, right)));
                weights[i] = (prior ? priorWeight : 1.0) / total;
                masses[i] = StandardNormal.cdf((high - mus[i]) / sigmas[i]) - StandardNormal.cdf((low - mus[i]) / sigmas[i]);
            }
        }

        @Override
        public double sample(Random random) {
            int k = pick(weights, random);
            for (int tries = 0; tries < 1000; tries++) { // each kernel keeps > 1/3 of its mass inside: ends fast
                double x = mus[k] + sigmas[k] * random.nextGaussian();
                if (x >= low && x <= high) {
                    return x;
                }
            }
            return Math.min(high, Math.max(low, mus[k]));
        }

        @Override
        public double logDensity(double x) {
            double p = 0;
            for (int i = 0; i < mus.length; i++) {
                double z = (x - mus[i]) / sigmas[i];
                p += weights[i] * Math.exp(-0.5 * z * z) / (Math.sqrt(2 * Math.PI) * sigmas[i] * masses[i]);
            }
            return Math.log(p);
        }
    }

    /** Counts per choice plus the prior weight spread evenly over the choices. */
    private static final class Counts implements Density {
        private final List<Double> choices;
        private final double[] probabilities;

        Counts(List<Double> choices, double[] values, double priorWeight) {
            this.choices = choices;
            this.probabilities = new double[choices.size()];
            Arrays.fill(probabilities, priorWeight / choices.size());
            for (double v : values) {
                probabilities[choices.indexOf(v)] += 1;
            }
            double total = values.length + priorWeight;
            for (int i = 0; i < probabilities.length; i++) {
                probabilities[i] /= total;
            }
        }

        @Override
        public double sample(Random random) {
            return choices.get(pick(probabilities, random));
        }

        @Override
        public double logDensity(double x) {
            return Math.log(probabilities[choices.indexOf(x)]);
        }
    }

    private static int pick(double[] weights, Random random) {
        double u = random.nextDouble();
        double cumulative = 0;
        for (int i = 0; i < weights.length; i++) {
            cumulative += weights[i];
            if (u < cumulative) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
