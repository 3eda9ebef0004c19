package dev.streamtune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code strength * sum_i w_i (theta_i - anchor_i)^2} over named parameters: with {@code w} a diagonal Fisher
 * estimate ({@link TrainingSession#meanSquaredGradients}) and {@code anchor} the values after the previous task
 * ({@link TextClassifier#snapshot()}), this is the EWC penalty. Parameters not named in {@code weights} are not
 * penalised.
 *
 * <p>Holds its weights and anchors in its own NDManager: close it when done. The strength is folded into the weights
 * up front, so {@link #compute} multiplies only by arrays that outlive the backward pass (a {@code muli(strength)}
 * would hand autograd a Java-backed scalar that the GC may free before backward reads it).
 */
public final class QuadraticPenalty implements LossTerm, AutoCloseable {

    private final NDManager manager;
    private final Map<String, NDArray> weights = new LinkedHashMap<>();
    private final Map<String, NDArray> anchors = new LinkedHashMap<>();

    /**
     * @param weights per-parameter importance, same length as the parameter
     * @param anchors per-parameter reference values, same keys and lengths as {@code weights}
     * @param strength overall multiplier (EWC's lambda, often divided by 2)
     */
    public QuadraticPenalty(Map<String, float[]> weights, Map<String, float[]> anchors, float strength) {
        if (!weights.keySet().equals(anchors.keySet())) {
            throw new IllegalArgumentException("weights and anchors name different parameters");
        }
        this.manager = NDManager.newBaseManager(ComputeDevice.current(), "PyTorch");
        for (Map.Entry<String, float[]> e : weights.entrySet()) {
            float[] w = e.getValue();
            float[] a = anchors.get(e.getKey());
            if (w.length != a.length) {
                manager.close();
                throw new IllegalArgumentException(e.getKey() + ": " + w.length + " weights, " + a.length + " anchors");
            }
            float[] scaled = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                scaled[i] = strength * w[i];
            }
            this.weights.put(e.getKey(), manager.create(scaled, new Shape(w.length)));
            this.anchors.put(e.getKey(), manager.create(a, new Shape(a.length)));
        }
    }

    @Override
    public NDArray compute(Map<String, NDArray> parameters) {
        NDArray total = null;
        for (Map.Entry<String, NDArray> e : weights.entrySet()) {
            NDArray theta = parameters.get(e.getKey());
            if (theta == null) {
                throw new IllegalArgumentException("no trainable parameter " + e.getKey());
            }
            NDArray diff = theta.reshape(-1).sub(anchors.get(e.getKey()));
            NDArray term = diff.mul(diff).muli(e.getValue()).sum();
            total = total == null ? term : total.addi(term);
        }
        return total == null ? manager.zeros(new Shape()) : total;
    }

    @Override
    public void close() {
        manager.close();
    }
}
