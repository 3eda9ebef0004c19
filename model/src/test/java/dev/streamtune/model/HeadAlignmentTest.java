package dev.streamtune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamtune.model.HeadAlignment.Aligned;
import dev.streamtune.model.HeadAlignment.Bias;
import dev.streamtune.model.HeadGrowth.Head;
import dev.streamtune.model.nn.ClassifierHead;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadAlignmentTest {

    /** Old rows of norms 5 and 1 (mean 3), new rows of norms 10 and 2 (mean 6): gamma 0.5. */
    private static final Head IMBALANCED = new Head(4, 2, new float[] {3f, 4f, 0f, 1f, 6f, 8f, 0f, 2f},
            new float[] {0.5f, -1f, 2f, -0.25f});

    @Test
    void newRowsAreScaledToTheOldRowsMeanNorm() {
        Aligned aligned = HeadAlignment.align(IMBALANCED, 2, Bias.KEEP, false);
        assertEquals(0.5, aligned.gamma(), 1e-12);
        assertEquals(3.0, aligned.oldMeanNorm(), 1e-12);
        assertEquals(6.0, aligned.newMeanNorm(), 1e-12);
        assertArrayEquals(new float[] {3f, 4f, 0f, 1f, 3f, 4f, 0f, 1f}, aligned.head().weight());
        assertArrayEquals(IMBALANCED.bias(), aligned.head().bias(), "biases kept, as the reference code does");
        assertEquals(3.0, HeadAlignment.meanNorm(aligned.head().weight(), 2, new int[] {2, 3}), 1e-12);
    }

    @Test
    void oneNewRowGetsExactlyTheOldMeanNormAndOldRowsStayBitForBit() {
        Head head = new Head(3, 2, new float[] {3f, 4f, 0f, 1f, 6f, 8f}, new float[] {0.5f, -1f, 2f});
        Aligned aligned = HeadAlignment.align(head, 2, Bias.SCALE, false);
        assertEquals(0.3, aligned.gamma(), 1e-12);
        assertArrayEquals(new float[] {1.8f, 2.4f}, Arrays.copyOfRange(aligned.head().weight(), 4, 6), 1e-6f);
        assertArrayEquals(Arrays.copyOf(head.weight(), 4), Arrays.copyOf(aligned.head().weight(), 4));
        assertArrayEquals(new float[] {0.5f, -1f, 0.6f}, aligned.head().bias(), 1e-6f);
        assertEquals(0.5f, aligned.head().bias()[0]);
    }

    @Test
    void rowsNeitherOldNorNewAreLeftAlone() {
        // Rows: 0 old (norm 5), 1 never trained (norm 1), 2 new (norm 10), 3 old (norm 2): gamma = 3.5 / 10.
        Aligned aligned = HeadAlignment.align(IMBALANCED, new int[] {0, 3}, new int[] {2}, Bias.KEEP, false);
        assertEquals(0.35, aligned.gamma(), 1e-12);
        assertArrayEquals(new float[] {3f, 4f, 0f, 1f, 2.1f, 2.8f, 0f, 2f}, aligned.head().weight(), 1e-6f);
        assertThrows(IllegalArgumentException.class,
                () -> HeadAlignment.align(IMBALANCED, new int[] {0, 2}, new int[] {2}, Bias.KEEP, false));
        assertThrows(IllegalArgumentException.class,
                () -> HeadAlignment.align(IMBALANCED, new int[0], new int[] {2}, Bias.KEEP, false));
    }

    @Test
    void shrinkOnlyLeavesNewRowsThatAreNotLarger() {
        Head small = new Head(3, 2, new float[] {3f, 4f, 0f, 1f, 0.6f, 0.8f}, new float[3]);
        Aligned kept = HeadAlignment.align(small, 2, Bias.KEEP, true);
        assertEquals(1.0, kept.gamma());
        assertSame(small, kept.head());
        Aligned grown = HeadAlignment.align(small, 2, Bias.KEEP, false);
        assertEquals(3.0, grown.gamma(), 1e-6); // 0.6f and 0.8f are not exact
        assertEquals(0.5, HeadAlignment.align(IMBALANCED, 2, Bias.KEEP, true).gamma(), 1e-12);
    }

    @Test
    void nothingToAlignWithoutNewRowsOrWithZeroRows() {
        assertEquals(1.0, HeadAlignment.align(IMBALANCED, 4, Bias.KEEP, false).gamma());
        Head zeroNew = new Head(3, 2, new float[] {3f, 4f, 0f, 1f, 0f, 0f}, new float[3]);
        assertSame(zeroNew, HeadAlignment.align(zeroNew, 2, Bias.KEEP, false).head());
        assertThrows(IllegalArgumentException.class, () -> HeadAlignment.align(IMBALANCED, 0, Bias.KEEP, false));
        assertThrows(IllegalArgumentException.class, () -> HeadAlignment.align(IMBALANCED, 5, Bias.KEEP, false));
    }

    @Test
    void aClassifiersImbalancedHeadGetsBalancedNormsAndKeepsItsOldLogits() {
        List<String> texts = List.of("I love this.", "It broke after two days.", "ok");
        try (TextClassifier parent = TextClassifier.create(TestModels.miniLm(),
                ClassifierConfig.of(List.of("negative", "positive")));
                TextClassifier grown = parent.adapted(parent.config().withLabels(
                        List.of("negative", "positive", "neutral", "mixed")))) {
            // As after a round of mostly new-label examples: new rows four times the old rows' size.
            Map<String, float[]> values = grown.snapshot();
            float[] w = values.get(ClassifierHead.WEIGHT);
            float[] b = values.get(ClassifierHead.BIAS);
            int hidden = w.length / 4;
            for (int i = 2 * hidden; i < w.length; i++) {
                w[i] *= 4;
            }
            b[2] = 0.3f;
            b[3] = -0.2f;
            grown.restore(Map.of(ClassifierHead.WEIGHT, w, ClassifierHead.BIAS, b));
            float[][] before = new TeacherLogits(grown).logits(texts);
            double oldNorm = HeadAlignment.meanNorm(w, hidden, new int[] {0, 1});
            assertTrue(HeadAlignment.meanNorm(w, hidden, new int[] {2, 3}) > 3 * oldNorm, "imbalanced to start with");

            Aligned aligned = HeadAlignment.alignNewRows(grown, 2, Bias.KEEP, false);

            float[] after = grown.snapshot().get(ClassifierHead.WEIGHT);
            assertEquals(oldNorm, HeadAlignment.meanNorm(after, hidden, new int[] {2, 3}), 1e-5 * oldNorm, "balanced");
            assertEquals(oldNorm, aligned.oldMeanNorm(), 1e-9);
            assertTrue(aligned.gamma() > 0.2 && aligned.gamma() < 0.3, "about 1/4: " + aligned.gamma());
            assertArrayEquals(Arrays.copyOf(w, 2 * hidden), Arrays.copyOf(after, 2 * hidden), "old rows unchanged");
            float[][] logits = new TeacherLogits(grown).logits(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(Arrays.copyOf(before[i], 2), Arrays.copyOf(logits[i], 2), 1e-5f, "old logits");
                for (int j = 2; j < 4; j++) {
                    // bias kept, weights scaled: (z - b) scales by gamma
                    assertEquals(aligned.gamma() * (before[i][j] - b[j]), logits[i][j] - b[j], 1e-4, "new logit");
                }
            }
        }
    }
}
