package dev.streamtune.model.optimizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SgdMomentumTest {

    @Test
    void followsTorchSgdsFormula() {
        RuleCheck.matchesReference(new SgdMomentum(0.9f), (p, g, state, lr, step) -> {
            double[] buf = state.get("momentum_buffer");
            for (int i = 0; i < p.length; i++) {
                buf[i] = 0.9f * buf[i] + g[i];
                p[i] -= lr * buf[i];
            }
        });
    }

    @Test
    void momentumZeroIsPlainGradientDescent() {
        RuleCheck.matchesReference(new SgdMomentum(0f), (p, g, state, lr, step) -> {
            for (int i = 0; i < p.length; i++) {
                state.get("momentum_buffer")[i] = g[i];
                p[i] -= lr * g[i];
            }
        });
    }

    @Test
    void keepsOneBufferAndRefusesBadMomentum() {
        assertEquals(List.of("momentum_buffer"), new SgdMomentum(0.9f).slots());
        assertEquals("sgd", new SgdMomentum(0.9f).name());
        assertThrows(IllegalArgumentException.class, () -> new SgdMomentum(1f));
        assertThrows(IllegalArgumentException.class, () -> new SgdMomentum(-0.1f));
    }
}
