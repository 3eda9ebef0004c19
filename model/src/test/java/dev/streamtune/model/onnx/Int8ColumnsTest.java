package dev.streamtune.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Int8ColumnsTest {

    @Test
    void eachColumnIsQuantisedOnItsOwnScale() {
        // [in 3, out 2]: column 0 spans +-1, column 1 spans +-0.01 (a per-tensor scale would flatten it to zero).
        float[] w = {1f, 0.01f, -0.5f, -0.005f, 0.25f, 0.0025f};
        Int8Columns q = Int8Columns.quantise(w, 3, 2);
        assertEquals(1f / 127, q.scales()[0], 1e-9);
        assertEquals(0.01f / 127, q.scales()[1], 1e-9);
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 2; c++) {
                assertEquals(w[r * 2 + c], q.dequantised(r, c), q.scales()[c] / 2 + 1e-9, "[" + r + "," + c + "]");
            }
        }
        assertEquals(127, q.values()[0]);
        assertEquals(127, q.values()[1]);
    }

    @Test
    void aZeroColumnStaysZeroAndNothingIsMinus128() {
        Int8Columns q = Int8Columns.quantise(new float[] {0f, -3f, 0f, 3f}, 2, 2);
        assertEquals(0, q.values()[0]);
        assertEquals(0, q.values()[2]);
        for (byte b : q.values()) {
            assertTrue(b > Byte.MIN_VALUE);
        }
    }
}
