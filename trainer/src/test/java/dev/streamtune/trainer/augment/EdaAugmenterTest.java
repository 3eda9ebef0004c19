package dev.streamtune.trainer.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.streamtune.trainer.augment.EdaAugmenter.Operation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdaAugmenterTest {

    private static final List<String> TEXTS = List.of(
            "the dog chased my car down to the house, and the dog ran home",
            "please run the report for the car",
            "dog",
            "happy customers keep coming back to our house every single week");

    @TempDir
    Path dir;

    private WordnetSynonyms wordnet;
    private EdaAugmenter eda;

    @BeforeEach
    void dictionary() throws Exception {
        wordnet = WordnetSynonyms.load(TinyWordnet.write(dir));
        eda = new EdaAugmenter(wordnet);
    }

    @Test
    void aRateOfZeroLeavesTheTextAsItIs() {
        for (Operation operation : Operation.values()) {
            for (String text : TEXTS) {
                assertEquals(text, eda.apply(operation, 0, text, new Random(1)), operation.key());
            }
        }
    }

    @Test
    void deletionNeverEmptiesATextAndKeepsTheRestInOrder() {
        for (long seed = 0; seed < 200; seed++) {
            for (String text : TEXTS) {
                String deleted = eda.apply(Operation.RANDOM_DELETION, seed % 2 == 0 ? 0.9 : 1.0, text,
                        new Random(seed));
                List<String> words = EdaAugmenter.words(deleted);
                assertFalse(words.isEmpty(), text);
                assertTrue(isSubsequence(words, EdaAugmenter.words(text)), deleted + " from " + text);
            }
        }
    }

    @Test
    void deletionDropsSomeWordsAtAHighRate() {
        String text = TEXTS.get(0);
        assertTrue(EdaAugmenter.words(eda.apply(Operation.RANDOM_DELETION, 0.5, text, new Random(3))).size()
                < EdaAugmenter.words(text).size());
    }

    @Test
    void swapKeepsTheMultisetOfWords() {
        for (long seed = 0; seed < 200; seed++) {
            for (String text : TEXTS) {
                String swapped = eda.apply(Operation.RANDOM_SWAP, 0.3, text, new Random(seed));
                assertEquals(sorted(EdaAugmenter.words(text)), sorted(EdaAugmenter.words(swapped)), swapped);
            }
        }
        assertNotEquals(TEXTS.get(0), eda.apply(Operation.RANDOM_SWAP, 0.3, TEXTS.get(0), new Random(5)));
    }

    @Test
    void insertionAddsOnlySynonymsOfTheTextsWords() {
        for (long seed = 0; seed < 200; seed++) {
            for (String text : TEXTS) {
                String inserted = eda.apply(Operation.RANDOM_INSERTION, 0.3, text, new Random(seed));
                List<String> added = new ArrayList<>(EdaAugmenter.words(inserted));
                for (String word : EdaAugmenter.words(text)) {
                    assertTrue(added.remove(word), "original word " + word + " kept in " + inserted);
                }
                // What is left is the inserted synonyms (a multi-word one split into its words).
                List<String> synonymWords = new ArrayList<>();
                EdaAugmenter.words(text).forEach(w -> wordnet.of(EdaAugmenter.core(w))
                        .forEach(s -> synonymWords.addAll(EdaAugmenter.words(s))));
                assertTrue(synonymWords.containsAll(added), added + " inserted into " + text);
            }
        }
        assertNotEquals(TEXTS.get(1), eda.apply(Operation.RANDOM_INSERTION, 0.3, TEXTS.get(1), new Random(1)));
    }

    @Test
    void synonymReplacementSwapsWordsForSynonymsKeepingPunctuationAndStopWords() {
        String replaced = eda.apply(Operation.SYNONYM_REPLACEMENT, 0.01, "the house, my car", new Random(7));
        List<String> words = EdaAugmenter.words(replaced);
        assertEquals("the", words.get(0), "stop words are left alone");
        assertTrue(replaced.equals("the home, my car")
                        || replaced.equals("the house, my auto") || replaced.equals("the house, my automobile"),
                "exactly one word (n = max(1, 0.01 x 4)) replaced by a synonym, its comma kept: " + replaced);
    }

    @Test
    void synonymReplacementReplacesEveryOccurrenceOfTheChosenWordWithTheSameSynonym() {
        for (long seed = 0; seed < 50; seed++) {
            String replaced = eda.apply(Operation.SYNONYM_REPLACEMENT, 0.01, "dog and dog", new Random(seed));
            assertTrue(wordnet.of("dog").stream().anyMatch(s -> replaced.equals(s + " and " + s)), replaced);
        }
    }

    @Test
    void withoutADictionaryTheSynonymOperationsChangeNothing() {
        EdaAugmenter plain = new EdaAugmenter(Synonyms.NONE);
        assertEquals(TEXTS.get(0), plain.apply(Operation.SYNONYM_REPLACEMENT, 0.5, TEXTS.get(0), new Random(1)));
        assertEquals(TEXTS.get(0), plain.apply(Operation.RANDOM_INSERTION, 0.5, TEXTS.get(0), new Random(1)));
    }

    @Test
    void theSameRandomGivesTheSameText() {
        for (Operation operation : Operation.values()) {
            assertEquals(eda.apply(operation, 0.3, TEXTS.get(0), new Random(11)),
                    eda.apply(operation, 0.3, TEXTS.get(0), new Random(11)), operation.key());
        }
    }

    private static List<String> sorted(List<String> words) {
        return words.stream().sorted().toList();
    }

    private static boolean isSubsequence(List<String> part, List<String> whole) {
        int i = 0;
        for (String word : whole) {
            if (i < part.size() && part.get(i).equals(word)) {
                i++;
            }
        }
        return i == part.size();
    }
}
