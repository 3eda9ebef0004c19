package dev.streamtune.trainer.augment;

import java.util.List;

/** Synonyms of a word, for the augmentations that substitute or insert words. */
@FunctionalInterface
public interface Synonyms {

    /** None, for augmentation by swap and deletion only (no dictionary needed). */
    Synonyms NONE = word -> List.of();

    /**
     * Other words or phrases (lower case, words separated by spaces) with a sense of {@code word}, in a fixed order;
     * empty when it has none or is unknown. {@code word} is looked up in lower case.
     */
    List<String> of(String word);
}
