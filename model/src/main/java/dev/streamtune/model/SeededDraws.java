package dev.streamtune.model;

import java.util.SplittableRandom;

/** Random draws for initialising weights from a seed alone, the same on every machine and JVM. */
public final class SeededDraws {

    private SeededDraws() {}

    /** A standard normal draw (Box-Muller). */
    public static double standardNormal(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
