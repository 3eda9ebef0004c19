package dev.streamtune.model.optimizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs an {@link UpdateRule} on a tiny parameter for a few steps and compares every step with a plain-Java
 * reference of the method's formula (double precision): what each rule's test checks.
 */
final class RuleCheck {

    static final float[] START = {1f, -2f, 0.5f, 0f};
    /** Gradients of three steps: signs change, one coordinate stays zero for a while, magnitudes differ. */
    static final float[][] GRADIENTS = {{0.5f, -0.1f, 0f, 2f}, {-0.3f, -0.2f, 0.4f, 1f}, {0.1f, 0.3f, -0.5f, 0f}};
    static final float[] LEARNING_RATES = {0.1f, 0.05f, 0.02f};

    /** The reference: updates {@code p} and {@code state} (slot -> values) in place for one step. */
    interface Reference {
        void step(double[] p, double[] g, Map<String, double[]> state, double lr, int step);
    }

    private RuleCheck() {
    }

    static void matchesReference(UpdateRule rule, Reference reference) {
        double[] expected = toDoubles(START);
        Map<String, double[]> expectedState = new LinkedHashMap<>();
        rule.slots().forEach(slot -> expectedState.put(slot, new double[START.length]));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray p = manager.create(START.clone());
            Map<String, NDArray> state = new LinkedHashMap<>();
            rule.slots().forEach(slot -> state.put(slot, manager.zeros(p.getShape())));
            for (int i = 0; i < GRADIENTS.length; i++) {
                rule.update(p, manager.create(GRADIENTS[i].clone()), state, LEARNING_RATES[i], i + 1);
                reference.step(expected, toDoubles(GRADIENTS[i]), expectedState, LEARNING_RATES[i], i + 1);
                assertArrayEquals(toFloats(expected), p.toFloatArray(), 1e-6f, rule.name() + " step " + (i + 1));
                for (String slot : rule.slots()) {
                    assertArrayEquals(toFloats(expectedState.get(slot)), state.get(slot).toFloatArray(), 1e-6f,
                            rule.name() + " " + slot + " after step " + (i + 1));
                }
            }
            assertEquals(rule.slots().size(), state.size());
        }
    }

    static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
