package dev.streamtune.bench;

/**
 * acc[k][i]: accuracy on window i's test set after training through window k (defined for i <= k), and the usual
 * continual-learning summaries of it, with T the last window:
 * <ul>
 *   <li>average accuracy: mean over i of acc[T][i];</li>
 *   <li>forgetting: mean over i &lt; T of (max over k in [i, T) of acc[k][i]) - acc[T][i];</li>
 *   <li>backward transfer: mean over i &lt; T of acc[T][i] - acc[i][i] (negative when learning later windows hurt
 *       earlier ones).</li>
 * </ul>
 * With a single window there is nothing earlier: forgetting and backward transfer are 0.
 */
public final class AccuracyMatrix {

    private final double[][] accuracy;

    public AccuracyMatrix(int windows) {
        this.accuracy = new double[windows][windows];
    }

    public int windows() {
        return accuracy.length;
    }

    public double get(int afterWindow, int testWindow) {
        return accuracy[afterWindow][testWindow];
    }

    public void set(int afterWindow, int testWindow, double value) {
        if (testWindow > afterWindow) {
            throw new IllegalArgumentException("window " + testWindow + " is not seen after window " + afterWindow);
        }
        accuracy[afterWindow][testWindow] = value;
    }

    public double averageAccuracy() {
        int last = windows() - 1;
        double sum = 0;
        for (int i = 0; i <= last; i++) {
            sum += accuracy[last][i];
        }
        return sum / windows();
    }

    public double forgetting() {
        int last = windows() - 1;
        if (last == 0) {
            return 0;
        }
        double sum = 0;
        for (int i = 0; i < last; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int k = i; k < last; k++) {
                best = Math.max(best, accuracy[k][i]);
            }
            sum += best - accuracy[last][i];
        }
        return sum / last;
    }

    public double backwardTransfer() {
        int last = windows() - 1;
        if (last == 0) {
            return 0;
        }
        double sum = 0;
        for (int i = 0; i < last; i++) {
            sum += accuracy[last][i] - accuracy[i][i];
        }
        return sum / last;
    }
}
