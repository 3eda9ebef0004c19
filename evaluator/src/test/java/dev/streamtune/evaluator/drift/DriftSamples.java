package dev.streamtune.evaluator.drift;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generated drift samples for the tests: sentences drawn from a topic's vocabulary, and an embedder that maps each
 * word to a fixed random vector and a text to the mean of its words' vectors (a bag-of-words stand-in for sentence
 * embeddings: texts of one topic land near each other, texts of two topics apart).
 */
final class DriftSamples {

    static final List<String> GADGETS = List.of("phone", "battery", "screen", "charger", "camera", "app", "update",
            "bluetooth", "speaker", "case", "keyboard", "laptop", "cable", "signal", "pixel");
    static final List<String> FOOD = List.of("pizza", "waiter", "menu", "dessert", "pasta", "table", "soup",
            "wine", "salad", "chef", "bread", "sauce", "kitchen", "steak", "coffee");
    static final List<String> FILLER = List.of("the", "was", "really", "very", "and", "not", "good", "bad", "it",
            "my", "great", "awful", "so", "too", "quite");
    static final int DIMS = 32;

    private DriftSamples() {
    }

    /** {@code n} examples of one topic, labels pos/neg balanced at random, attribute locale as given. */
    static List<DriftItem> texts(String prefix, List<String> topic, int n, SplittableRandom random,
                                 Map<String, String> attributes) {
        List<DriftItem> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int words = 6 + random.nextInt(10);
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < words; w++) {
                List<String> from = random.nextInt(3) == 0 ? topic : FILLER;
                text.append(w == 0 ? "" : " ").append(from.get(random.nextInt(from.size())));
            }
            items.add(DriftItem.example(prefix + i, text.toString(), random.nextBoolean() ? "pos" : "neg",
                    attributes));
        }
        return items;
    }

    /** Served predictions: generated texts with a predicted label and a confidence around {@code meanConfidence}. */
    static List<DriftItem> served(String prefix, List<String> topic, int n, double meanConfidence,
                                  SplittableRandom random) {
        List<DriftItem> items = new ArrayList<>();
        for (DriftItem text : texts(prefix, topic, n, random, Map.of())) {
            double confidence = Math.min(1, Math.max(0.5, meanConfidence + (random.nextDouble() - 0.5) * 0.2));
            items.add(DriftItem.served(text.key(), text.text(), text.label(), confidence));
        }
        return items;
    }

    static DriftDetector.Embedder bagOfWords() {
        return items -> items.stream().map(item -> {
            float[] v = new float[DIMS];
            String[] words = item.text().split(" ");
            for (String word : words) {
                SplittableRandom wordVector = new SplittableRandom(word.hashCode());
                for (int d = 0; d < DIMS; d++) {
                    v[d] += (float) (wordVector.nextDouble() - 0.5) / words.length;
                }
            }
            return v;
        }).toArray(float[][]::new);
    }
}
