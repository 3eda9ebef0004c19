package dev.streamtune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TeacherLogitsTest {

    private static final List<String> LABELS = List.of("negative", "neutral", "positive");

    /** A classifier with a non-zero bias, so logits and probabilities are not trivially uniform. */
    private static TextClassifier teacher() {
        TextClassifier c = TextClassifier.create(TestModels.miniLm(), ClassifierConfig.of(LABELS).withSeed(4));
        c.restore(Map.of("classifier.bias", new float[] {0.4f, -0.3f, 0.1f}));
        return c;
    }

    @Test
    void logitsAreThoseBehindThePredictions() {
        List<String> texts = List.of("I love this.", "It broke after two days and support ignored me.", "ok");
        try (TextClassifier teacher = teacher()) {
            float[][] logits = new TeacherLogits(teacher).logits(texts);
            List<Prediction> predictions = teacher.predict(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertEquals(3, logits[i].length);
                double[] softmax = DistillationLoss.softmax(logits[i], 1f);
                for (int j = 0; j < 3; j++) {
                    assertEquals(predictions.get(i).probability(LABELS.get(j)), softmax[j], 1e-5, texts.get(i));
                }
            }
        }
    }

    @Test
    void eachDistinctTextRunsThroughTheTeacherOnce() {
        try (TextClassifier teacher = teacher()) {
            TeacherLogits cache = new TeacherLogits(teacher);
            float[][] first = cache.logits(List.of("alpha", "beta", "alpha"));
            assertSame(first[0], first[2]);
            assertEquals(2, cache.computedTexts());
            assertEquals(1, cache.teacherBatches());
            float[][] second = cache.logits(List.of("beta", "gamma"));
            assertSame(first[1], second[0], "served from the cache");
            assertEquals(3, cache.computedTexts());
            assertEquals(2, cache.teacherBatches());
            cache.logits(List.of("gamma", "alpha", "beta")); // another epoch
            assertEquals(3, cache.computedTexts());
            assertEquals(2, cache.teacherBatches());
            assertEquals(3, cache.size());
        }
    }

    @Test
    void prefetchRunsMissingTextsInBatchesAndMatchesOneByOne() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            texts.add("review number " + i + (i % 3 == 0 ? " was long and rather detailed about the parcel" : ""));
        }
        try (TextClassifier teacher = teacher()) {
            TeacherLogits cache = new TeacherLogits(teacher);
            cache.prefetch(texts);
            assertEquals(130, cache.computedTexts());
            assertEquals(3, cache.teacherBatches(), "64 + 64 + 2");
            TeacherLogits single = new TeacherLogits(teacher);
            for (int i : new int[] {0, 1, 64, 129}) {
                // padding differs between batches; the masked result agrees to rounding
                assertArrayEquals(single.logits(List.of(texts.get(i)))[0], cache.logits(List.of(texts.get(i)))[0],
                        1e-4f, texts.get(i));
            }
            assertEquals(130, cache.computedTexts());
        }
    }

    @Test
    void aTeacherLimitedToItsLearnedLabelsGivesTheirLogitsOnly() {
        List<String> texts = List.of("I love this.", "ok");
        try (TextClassifier teacher = teacher()) {
            float[][] all = new TeacherLogits(teacher).logits(texts);
            TeacherLogits learned = new TeacherLogits(teacher, 2);
            assertEquals(List.of("negative", "neutral"), learned.labels());
            float[][] first = learned.logits(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(Arrays.copyOf(all[i], 2), first[i], texts.get(i));
            }
            assertThrows(IllegalArgumentException.class,
                    () -> new TeacherLogits(teacher, 0));
            assertThrows(IllegalArgumentException.class,
                    () -> new TeacherLogits(teacher, 4));
        }
    }
}
