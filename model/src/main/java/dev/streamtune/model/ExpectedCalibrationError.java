package dev.streamtune.model;

/**
 * Expected calibration error (Guo et al. 2017): predictions are put into equal-width bins by their confidence (the
 * top probability), and the gaps between each bin's accuracy and its mean confidence are averaged, weighted by the
 * bin's share of the predictions. 0 for a calibrated model; the trainer reports it before and after fitting a
 * {@link TemperatureScaling temperature}, the evaluator's promotion gate compares it between models. Declared once
 * here so both measure the same thing.
 */
public final class ExpectedCalibrationError {

    /** Equal-width confidence bins, as in Guo et al. 2017. */
    public static final int BINS = 10;

    private ExpectedCalibrationError() {}

    /**
     * @param confidences each prediction's confidence, in [0, 1]
     * @param correct whether each prediction was right
     */
    public static double of(double[] confidences, boolean[] correct) {
        if (confidences.length != correct.length) {
            throw new IllegalArgumentException(confidences.length + " confidences but " + correct.length + " outcomes");
        }
        if (confidences.length == 0) {
            return 0;
        }
        long[] counts = new long[BINS];
        long[] right = new long[BINS];
        double[] confidence = new double[BINS];
        for (int i = 0; i < confidences.length; i++) {
            // Bins are (0, 0.1], (0.1, 0.2], ... ; confidence 0 joins the first bin.
            int bin = Math.max(0, Math.min(BINS - 1, (int) Math.ceil(confidences[i] * BINS) - 1));
            counts[bin]++;
            right[bin] += correct[i] ? 1 : 0;
            confidence[bin] += confidences[i];
        }
        double ece = 0;
        for (int bin = 0; bin < BINS; bin++) {
            if (counts[bin] > 0) {
                double gap = Math.abs((double) right[bin] / counts[bin] - confidence[bin] / counts[bin]);
                ece += gap * counts[bin] / confidences.length;
            }
        }
        return ece;
    }

    /** ECE of {@code softmax(logits / temperature)} against the true class indices {@code labels}. */
    public static double ofLogits(float[][] logits, int[] labels, double temperature) {
        double[] confidences = new double[logits.length];
        boolean[] correct = new boolean[logits.length];
        for (int i = 0; i < logits.length; i++) {
            double[] p = TemperatureScaling.softmax(logits[i], temperature);
            int best = 0;
            for (int c = 1; c < p.length; c++) {
                if (p[c] > p[best]) {
                    best = c;
                }
            }
            confidences[i] = p[best];
            correct[i] = best == labels[i];
        }
        return of(confidences, correct);
    }
}
