package dev.streamtune.evaluator.drift;

import java.util.Optional;

/**
 * One two-sample drift test statistic: how different the current group of a pooled sample is from the reference
 * group. The permutation machinery ({@link PermutationFamily}) calls {@link Prepared#value} once for the real
 * grouping and once per permutation, so {@link #prepare} does every part that does not depend on the grouping
 * (tokenising, a kernel matrix, folds) and {@code value} only the rest. A new drift test is one class implementing
 * this and its unit test.
 */
public interface DriftStatistic {

    /** The score name in drift reports, e.g. {@code input.embedding.mmd}. */
    String name();

    /** Ready to evaluate on {@code pooled}; empty when the test does not apply (e.g. no embeddings, one label). */
    Optional<Prepared> prepare(PooledSample pooled);

    /** The statistic over one pooled sample. */
    interface Prepared {

        /**
         * @param current {@code current[i]} is true when item {@code i} of the pooled sample is in the current
         *                group; larger means more different
         */
        double value(boolean[] current);

        /** What explains the statistic under this grouping, in a few words (tokens, dimensions, labels). */
        default String evidence(boolean[] current) {
            return "";
        }
    }
}
