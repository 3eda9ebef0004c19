package dev.streamtune.trainer.training;

import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import dev.streamtune.model.LossTerm;

/**
 * The strategies' extra loss terms as the one term a training session adds to every batch's loss: their sum.
 * Does not own the terms (the round closes them).
 */
final class LossSum implements LossTerm {

    private final List<LossTerm> terms;

    private LossSum(List<LossTerm> terms) {
        this.terms = terms;
    }

    /** Null for no terms, the term itself for one (exactly what a single strategy asked for), else their sum. */
    static LossTerm of(List<LossTerm> terms) {
        if (terms.isEmpty()) {
            return null;
        }
        return terms.size() == 1 ? terms.get(0) : new LossSum(List.copyOf(terms));
    }

    @Override
    public NDArray compute(Map<String, NDArray> parameters) {
        NDArray sum = terms.get(0).compute(parameters);
        for (int i = 1; i < terms.size(); i++) {
            sum = sum.add(terms.get(i).compute(parameters));
        }
        return sum;
    }
}
