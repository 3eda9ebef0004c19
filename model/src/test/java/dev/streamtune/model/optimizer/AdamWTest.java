package dev.streamtune.model.optimizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamWTest {

    @Test
    void followsTorchAdamWsFormula() {
        AdamW adam = AdamW.defaults();
        RuleCheck.matchesReference(adam, (p, g, state, lr, step) -> {
            double b1 = 0.9f;
            double b2 = 0.999f;
            double[] m = state.get("m");
            double[] v = state.get("v");
            for (int i = 0; i < p.length; i++) {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                double mHat = m[i] / (1 - Math.pow(b1, step));
                double vHat = v[i] / (1 - Math.pow(b2, step));
                p[i] -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
            }
        });
    }

    @Test
    void theFirstStepMovesEachWeightByTheLearningRateAgainstItsGradientsSign() {
        // With bias correction, step 1 is lr * g / |g| (up to epsilon), whatever the gradient's size.
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray p = manager.create(new float[] {1f, -2f});
            Map<String, NDArray> state = Map.of("m", manager.zeros(p.getShape()), "v", manager.zeros(p.getShape()));
            AdamW.defaults().update(p, manager.create(new float[] {0.5f, -0.001f}), state, 0.1f, 1);
            assertArrayEquals(new float[] {0.9f, -1.9f}, p.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void keepsTwoMomentsAndRefusesBadSettings() {
        assertEquals(List.of("m", "v"), AdamW.defaults().slots());
        assertEquals("adamw", AdamW.defaults().name());
        assertThrows(IllegalArgumentException.class, () -> new AdamW(1f, 0.999f, 1e-8f));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(0.9f, 0.999f, 0f));
    }
}
