package dev.streamtune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import dev.streamtune.model.HeadGrowth.Head;
import dev.streamtune.model.HeadGrowth.NewRows;
import org.junit.jupiter.api.Test;

class HeadGrowthTest {

    /** Two labels over a hidden size of three. */
    private static final Head TWO_ROWS = new Head(2, 3, new float[] {1f, -2f, 0.5f, 3f, 0f, -1.5f},
            new float[] {0.25f, -0.75f});

    @Test
    void oldRowsAreKeptBitForBitWhateverTheRule() {
        for (NewRows rule : NewRows.values()) {
            Head grown = HeadGrowth.grow(TWO_ROWS, 4, rule, 7);
            assertEquals(4, grown.rows());
            assertArrayEquals(TWO_ROWS.weight(), Arrays.copyOf(grown.weight(), 6), rule.name());
            assertArrayEquals(TWO_ROWS.bias(), Arrays.copyOf(grown.bias(), 2), rule.name());
        }
    }

    @Test
    void meanOfOldRowsGivesEachNewRowTheAverageWeightsAndBias() {
        Head grown = HeadGrowth.grow(TWO_ROWS, 4, NewRows.MEAN_OF_OLD, 7);
        float[] mean = {2f, -1f, -0.5f};
        assertArrayEquals(mean, Arrays.copyOfRange(grown.weight(), 6, 9));
        assertArrayEquals(mean, Arrays.copyOfRange(grown.weight(), 9, 12));
        assertArrayEquals(new float[] {-0.25f, -0.25f}, Arrays.copyOfRange(grown.bias(), 2, 4));
    }

    @Test
    void meanOfOldRowsNeverOutscoresTheBestOldClass() {
        Head grown = HeadGrowth.grow(TWO_ROWS, 3, NewRows.MEAN_OF_OLD, 7);
        java.util.Random random = new java.util.Random(1);
        for (int trial = 0; trial < 1000; trial++) {
            float[] x = {random.nextFloat() * 4 - 2, random.nextFloat() * 4 - 2, random.nextFloat() * 4 - 2};
            float[] logits = logits(grown, x);
            assertTrue(logits[2] <= Math.max(logits[0], logits[1]) + 1e-5f, Arrays.toString(logits));
        }
    }

    @Test
    void jitteredMeanRowsAreCloseToTheMeanDistinctAndSeeded() {
        Head grown = HeadGrowth.grow(TWO_ROWS, 4, NewRows.MEAN_OF_OLD_JITTERED, 7);
        float[] mean = {2f, -1f, -0.5f};
        float[] third = Arrays.copyOfRange(grown.weight(), 6, 9);
        float[] fourth = Arrays.copyOfRange(grown.weight(), 9, 12);
        assertArrayEquals(mean, third, 0.1f);
        assertArrayEquals(mean, fourth, 0.1f);
        assertTrue(!Arrays.equals(third, fourth), "rows appended together do not start identical");
        assertArrayEquals(new float[] {-0.25f, -0.25f}, Arrays.copyOfRange(grown.bias(), 2, 4));
        assertArrayEquals(grown.weight(), HeadGrowth.grow(TWO_ROWS, 4, NewRows.MEAN_OF_OLD_JITTERED, 7).weight());
    }

    @Test
    void zeroBelowOldHasZeroWeightsAndTheSmallestOldBias() {
        Head grown = HeadGrowth.grow(TWO_ROWS, 3, NewRows.ZERO_BELOW_OLD, 7);
        assertArrayEquals(new float[3], Arrays.copyOfRange(grown.weight(), 6, 9));
        assertEquals(-0.75f, grown.bias()[2]);
    }

    @Test
    void smallRandomRowsAreSmallDistinctAndSeeded() {
        Head grown = HeadGrowth.grow(TWO_ROWS, 4, NewRows.SMALL_RANDOM, 7);
        float[] third = Arrays.copyOfRange(grown.weight(), 6, 9);
        float[] fourth = Arrays.copyOfRange(grown.weight(), 9, 12);
        assertTrue(!Arrays.equals(third, fourth));
        for (float w : third) {
            assertTrue(Math.abs(w) < 0.2f, Arrays.toString(third));
        }
        assertArrayEquals(grown.weight(), HeadGrowth.grow(TWO_ROWS, 4, NewRows.SMALL_RANDOM, 7).weight());
        assertEquals(0f, grown.bias()[3]);
    }

    @Test
    void growingToTheSameSizeChangesNothingAndAHeadNeverShrinks() {
        Head same = HeadGrowth.grow(TWO_ROWS, 2, NewRows.DEFAULT, 7);
        assertArrayEquals(TWO_ROWS.weight(), same.weight());
        assertArrayEquals(TWO_ROWS.bias(), same.bias());
        assertThrows(IllegalArgumentException.class, () -> HeadGrowth.grow(TWO_ROWS, 1, NewRows.DEFAULT, 7));
        assertThrows(IllegalArgumentException.class, () -> new Head(2, 3, new float[5], new float[2]));
    }

    private static float[] logits(Head head, float[] x) {
        float[] out = new float[head.rows()];
        for (int r = 0; r < head.rows(); r++) {
            float sum = head.bias()[r];
            for (int j = 0; j < head.hidden(); j++) {
                sum += head.weight()[r * head.hidden() + j] * x[j];
            }
            out[r] = sum;
        }
        return out;
    }
}
