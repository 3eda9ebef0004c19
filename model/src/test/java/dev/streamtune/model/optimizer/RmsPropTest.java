package dev.streamtune.model.optimizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class RmsPropTest {

    @Test
    void followsTorchRmsPropsFormula() {
        RuleCheck.matchesReference(RmsProp.withAlpha(0.99f), (p, g, state, lr, step) -> {
            double alpha = 0.99f;
            double[] sq = state.get("square_avg");
            for (int i = 0; i < p.length; i++) {
                sq[i] = alpha * sq[i] + (1 - alpha) * g[i] * g[i];
                p[i] -= lr * g[i] / (Math.sqrt(sq[i]) + 1e-8f);
            }
        });
    }

    @Test
    void keepsOneAverageAndRefusesBadSettings() {
        assertEquals(List.of("square_avg"), RmsProp.withAlpha(0.99f).slots());
        assertEquals("rmsprop", RmsProp.withAlpha(0.99f).name());
        assertThrows(IllegalArgumentException.class, () -> RmsProp.withAlpha(1f));
        assertThrows(IllegalArgumentException.class, () -> new RmsProp(0.99f, 0f));
    }
}
