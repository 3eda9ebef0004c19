package dev.streamtune.trainer.search;

/**
 * Stops training when validation loss has not improved by at least {@code minDelta} for {@code patience}
 * evaluations in a row, and remembers which evaluation was best so its weights can be restored.
 */
public final class EarlyStopping {

    private final int patience;
    private final double minDelta;
    private double best = Double.POSITIVE_INFINITY;
    private int bestEvaluation = -1;
    private int evaluations;
    private int sinceImprovement;

    public EarlyStopping(int patience, double minDelta) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be at least 1, was " + patience);
        }
        this.patience = patience;
        this.minDelta = minDelta;
    }

    /** Records one validation loss; true when it is the best so far (the caller snapshots the weights). */
    public boolean observe(double validationLoss) {
        int index = evaluations++;
        if (validationLoss < best - minDelta) {
            best = validationLoss;
            bestEvaluation = index;
            sinceImprovement = 0;
            return true;
        }
        sinceImprovement++;
        return false;
    }

    public boolean shouldStop() {
        return sinceImprovement >= patience;
    }

    public double bestLoss() {
        return best;
    }

    public int bestEvaluation() {
        return bestEvaluation;
    }
}
