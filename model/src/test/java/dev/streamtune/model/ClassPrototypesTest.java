package dev.streamtune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassPrototypesTest {

    @Test
    void prototypesAreMeansOfUnitVectorsAndScoringIsCosine() {
        // a: (3,4)/5 = (0.6, 0.8) and (1, 0) -> mean (0.8, 0.4); b: (0, 2)/2 -> (0, 1)
        ClassPrototypes p = ClassPrototypes.fromEmbeddings(List.of("a", "b", "a"),
                new float[][] {{3f, 4f}, {0f, 2f}, {1f, 0f}});
        assertEquals(List.of("a", "b"), p.labels());
        assertArrayEquals(new float[] {0.8f, 0.4f}, p.means().get("a"), 1e-7f);
        assertArrayEquals(new float[] {0f, 1f}, p.means().get("b"));
        // x = (1, 1): cos to a = 1.2 / (sqrt 2 * sqrt 0.8), to b = 1 / sqrt 2
        double[] cosines = p.cosines(new float[] {1f, 1f});
        assertEquals(1.2 / (Math.sqrt(2) * Math.sqrt(0.8)), cosines[0], 1e-7);
        assertEquals(1 / Math.sqrt(2), cosines[1], 1e-7);
        assertEquals("a", p.nearest(new float[] {1f, 1f}));
        assertEquals("b", p.nearest(new float[] {0.1f, 5f}));
        assertEquals("a", p.nearest(new float[] {10f, 2f}), "scale does not matter, direction does");
    }

    @Test
    void refusesWhatHasNoPrototype() {
        assertThrows(IllegalArgumentException.class, () -> ClassPrototypes.fromEmbeddings(List.of(), new float[0][]));
        assertThrows(IllegalArgumentException.class,
                () -> ClassPrototypes.fromEmbeddings(List.of("a"), new float[][] {{0f, 0f}}));
        assertThrows(IllegalArgumentException.class,
                () -> ClassPrototypes.fromEmbeddings(List.of("a", "b"), new float[][] {{1f, 0f}, {1f}}));
        ClassPrototypes p = ClassPrototypes.fromEmbeddings(List.of("a"), new float[][] {{1f, 0f}});
        assertThrows(IllegalArgumentException.class, () -> p.cosines(new float[3]));
    }

    @Test
    void aFreshAdapterEmbedsAsTheBaseModel() {
        List<String> texts = List.of("The soup was too salty.", "Rain all week long.");
        try (TextClassifier c = TextClassifier.create(TestModels.miniLm(), ClassifierConfig.of(List.of("x", "y")))) {
            float[][] adapted = ClassPrototypes.embed(c, texts);
            float[][] base = TestModels.miniLm().embed(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(base[i], adapted[i], 1e-5f, texts.get(i));
            }
        }
    }

    @Test
    void nearestClassMeanOnMiniLmSeparatesTopicsWithoutTraining() {
        List<LabeledText> train = new ArrayList<>();
        for (String t : List.of("The pasta with garlic sauce was delicious.", "I baked fresh bread this morning.",
                "This restaurant serves the best curry in town.", "Add salt and pepper to the soup.")) {
            train.add(new LabeledText(t, "food"));
        }
        for (String t : List.of("Heavy rain is expected tomorrow.", "It was sunny and warm all afternoon.",
                "A cold wind blew snow across the hills.", "The forecast says thunderstorms tonight.")) {
            train.add(new LabeledText(t, "weather"));
        }
        for (String t : List.of("The striker scored twice in the final.", "She won the tennis match in three sets.",
                "Our team lost the basketball game.", "He ran the marathon in under three hours.")) {
            train.add(new LabeledText(t, "sport"));
        }
        List<String> heldOut = List.of("We grilled vegetables and ate them with rice.", "Fog covered the valley at dawn.",
                "The goalkeeper saved a penalty.", "Chocolate cake for dessert, please.",
                "Temperatures will drop below freezing.", "The cyclist crossed the finish line first.");
        List<String> expected = List.of("food", "weather", "sport", "food", "weather", "sport");
        try (TextClassifier c = TextClassifier.create(TestModels.miniLm(),
                ClassifierConfig.of(List.of("food", "weather", "sport")))) {
            ClassPrototypes p = ClassPrototypes.fit(c, train);
            assertEquals(List.of("food", "weather", "sport"), p.labels());
            List<String> predicted = p.classify(c, heldOut);
            long correct = 0;
            for (int i = 0; i < expected.size(); i++) {
                correct += expected.get(i).equals(predicted.get(i)) ? 1 : 0;
            }
            assertTrue(correct >= 5, "held-out topics: " + predicted);
        }
    }
}
