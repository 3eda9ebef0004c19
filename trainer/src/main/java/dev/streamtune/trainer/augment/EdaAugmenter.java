package dev.streamtune.trainer.augment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * The four operations of EDA (Wei and Zou, "EDA: Easy Data Augmentation Techniques for Boosting Performance on Text
 * Classification Tasks", 2019) on whitespace-separated words, each with its rate {@code alpha}: it changes
 * {@code n = max(1, alpha * words)} words (deletion: each word with probability {@code alpha}). A rate of 0 turns
 * an operation off. As in the reference code, stop words are never replaced nor looked up for insertion, and a word
 * keeps the punctuation around it when replaced.
 *
 * <ul>
 *   <li>synonym replacement: {@code n} distinct non-stop words that have synonyms, each (every occurrence) replaced
 *   by one of its synonyms;</li>
 *   <li>random insertion: {@code n} times, a synonym of a random non-stop word inserted at a random place;</li>
 *   <li>random swap: {@code n} times, two random words swap places;</li>
 *   <li>random deletion: each word dropped with probability {@code alpha}; never all of them.</li>
 * </ul>
 * Pure: the randomness comes from the caller's {@link Random}.
 */
public final class EdaAugmenter {

    /** The operations, by the names the settings and lineage use. */
    public enum Operation {
        SYNONYM_REPLACEMENT, RANDOM_INSERTION, RANDOM_SWAP, RANDOM_DELETION;

        public String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** The reference implementation's stop words (NLTK's English list, short form): left alone by synonym ops. */
    static final Set<String> STOP_WORDS = Set.of("i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you",
            "your", "yours", "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself",
            "it", "its", "itself", "they", "them", "their", "theirs", "themselves", "what", "which", "who", "whom",
            "this", "that", "these", "those", "am", "is", "are", "was", "were", "be", "been", "being", "have", "has",
            "had", "having", "do", "does", "did", "doing", "a", "an", "the", "and", "but", "if", "or", "because", "as",
            "until", "while", "of", "at", "by", "for", "with", "about", "against", "between", "into", "through",
            "during", "before", "after", "above", "below", "to", "from", "up", "down", "in", "out", "on", "off",
            "over", "under", "again", "further", "then", "once", "here", "there", "when", "where", "why", "how",
            "all", "any", "both", "each", "few", "more", "most", "other", "some", "such", "no", "nor", "not", "only",
            "own", "same", "so", "than", "too", "very", "s", "t", "can", "will", "just", "don", "should", "now", "");

    /** Tries for a word with synonyms before an insertion gives up (the reference code's 10). */
    private static final int INSERTION_TRIES = 10;

    private final Synonyms synonyms;

    public EdaAugmenter(Synonyms synonyms) {
        this.synonyms = synonyms;
    }

    /** {@code text} changed by {@code operation} at {@code rate}; the text itself when the rate is 0. */
    public String apply(Operation operation, double rate, String text, Random random) {
        if (!(rate > 0)) {
            return text;
        }
        List<String> words = words(text);
        if (words.isEmpty()) {
            return text;
        }
        int n = Math.max(1, (int) (rate * words.size()));
        List<String> changed = switch (operation) {
            case SYNONYM_REPLACEMENT -> synonymReplacement(words, n, random);
            case RANDOM_INSERTION -> randomInsertion(words, n, random);
            case RANDOM_SWAP -> randomSwap(words, n, random);
            case RANDOM_DELETION -> randomDeletion(words, rate, random);
        };
        return String.join(" ", changed);
    }

    static List<String> words(String text) {
        String stripped = text.strip();
        return stripped.isEmpty() ? List.of() : List.of(stripped.split("\\s+"));
    }

    List<String> synonymReplacement(List<String> words, int n, Random random) {
        List<String> result = new ArrayList<>(words);
        Set<String> distinct = new LinkedHashSet<>();
        words.forEach(w -> {
            String core = core(w);
            if (!STOP_WORDS.contains(core)) {
                distinct.add(core);
            }
        });
        List<String> candidates = new ArrayList<>(distinct);
        Collections.shuffle(candidates, random);
        int replaced = 0;
        for (String word : candidates) {
            List<String> options = synonyms.of(word);
            if (options.isEmpty()) {
                continue;
            }
            String synonym = options.get(random.nextInt(options.size()));
            for (int i = 0; i < result.size(); i++) {
                if (core(words.get(i)).equals(word)) { // the original's occurrences only
                    result.set(i, withCore(result.get(i), synonym));
                }
            }
            if (++replaced >= n) {
                break;
            }
        }
        return result;
    }

    List<String> randomInsertion(List<String> words, int n, Random random) {
        List<String> result = new ArrayList<>(words);
        for (int k = 0; k < n; k++) {
            for (int tries = 0; tries < INSERTION_TRIES; tries++) {
                String word = core(words.get(random.nextInt(words.size())));
                List<String> options = STOP_WORDS.contains(word) ? List.of() : synonyms.of(word);
                if (!options.isEmpty()) {
                    result.add(random.nextInt(result.size() + 1), options.get(random.nextInt(options.size())));
                    break;
                }
            }
        }
        return result;
    }

    static List<String> randomSwap(List<String> words, int n, Random random) {
        List<String> result = new ArrayList<>(words);
        if (result.size() < 2) {
            return result;
        }
        for (int k = 0; k < n; k++) {
            int a = random.nextInt(result.size());
            int b = random.nextInt(result.size() - 1);
            Collections.swap(result, a, b >= a ? b + 1 : b); // two different places
        }
        return result;
    }

    static List<String> randomDeletion(List<String> words, double rate, Random random) {
        if (words.size() == 1) {
            return words;
        }
        List<String> kept = new ArrayList<>();
        for (String word : words) {
            if (random.nextDouble() >= rate) {
                kept.add(word);
            }
        }
        // A text with no words left teaches nothing about its label: keep one, as the reference code does.
        return kept.isEmpty() ? List.of(words.get(random.nextInt(words.size()))) : kept;
    }

    /** The word without the punctuation around it, in lower case: what is looked up. */
    static String core(String word) {
        int[] span = coreSpan(word);
        return word.substring(span[0], span[1]).toLowerCase(Locale.ROOT);
    }

    /** {@code word} with its letters replaced by {@code replacement}, the punctuation around them kept. */
    static String withCore(String word, String replacement) {
        int[] span = coreSpan(word);
        return word.substring(0, span[0]) + replacement + word.substring(span[1]);
    }

    /** {@code [from, to)} of the word between the punctuation around it. */
    private static int[] coreSpan(String word) {
        int from = 0;
        int to = word.length();
        while (from < to && !Character.isLetterOrDigit(word.charAt(from))) {
            from++;
        }
        while (to > from && !Character.isLetterOrDigit(word.charAt(to - 1))) {
            to--;
        }
        return new int[] {from, to};
    }
}
