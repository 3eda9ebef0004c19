package dev.streamtune.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Parsing and sampling on a few hand-written data.noun lines; nothing is downloaded. */
class WordnetDatasetTest {

    private static final List<String> LINES = List.of(
            "  1 This software and database is being provided to you, the LICENSEE, by  ",
            "  2 Princeton University under the following license.  ",
            "02084071 05 n 03 dog 0 domestic_dog 0 Canis_familiaris 0 001 @ 02083346 n 0000 | a member of the genus "
                    + "Canis that has been domesticated by man since prehistoric times; occurs in many breeds; "
                    + "\"the dog barked all night\"  ",
            "02121620 05 n 02 cat 0 true_cat 0 001 @ 02120997 n 0000 | feline mammal usually having thick soft fur "
                    + "and no ability to roar  ",
            "02123045 05 n 01 house_cat 0 001 @ 02121620 n 0000 | any domesticated member of the species  ",
            "12345678 05 n 01 tiny 0 000 | short  ",
            "11111111 05 n 01 quote_only 0 000 | \"nothing but an example sentence here\"  ",
            "12992868 20 n 0a fungus 0 a 0 b 0 c 0 d 0 e 0 f 0 g 0 h 0 i 0 001 @ 00017222 n 0000 | an organism of "
                    + "the kingdom Fungi lacking chlorophyll and feeding on organic matter  ",
            "07705931 20 n 01 mushroom 0 001 @ 12992868 n 0000 | mainly  a  fruiting body of a fungus   ",
            "22222222 20 n 01 mushroom 0 001 @ 12992868 n 0000 | mainly a fruiting body of a fungus  ",
            "07557434 13 n 01 bread 0 001 @ 07555863 n 0000 | food made from dough of flour or meal and baked  ");

    @Test
    void aDataLineBecomesLemmaAndDefinitionUnderItsLexicographerCategory() {
        WordnetDataset.Synset dog = WordnetDataset.parse(LINES.get(2));
        assertEquals("02084071", dog.offset());
        assertEquals("animal", dog.category());
        assertEquals("dog", dog.lemma());
        assertEquals("dog: a member of the genus Canis that has been domesticated by man since prehistoric times; "
                + "occurs in many breeds", dog.text());
        assertEquals("house cat: any domesticated member of the species",
                WordnetDataset.parse(LINES.get(4)).text());
    }

    @Test
    void theWordCountIsHexadecimal() {
        WordnetDataset.Synset fungus = WordnetDataset.parse(LINES.get(7));
        assertEquals("plant", fungus.category());
        assertEquals("fungus", fungus.lemma());
    }

    @Test
    void theLexicographerTableHasTheFortyFiveFilesOfLexnames() {
        assertEquals(45, WordnetDataset.LEXICOGRAPHER_FILES.size());
        assertEquals("noun.Tops", WordnetDataset.LEXICOGRAPHER_FILES.get(3));
        assertEquals("noun.person", WordnetDataset.LEXICOGRAPHER_FILES.get(18));
        assertEquals("noun.time", WordnetDataset.LEXICOGRAPHER_FILES.get(28));
        assertEquals("adj.ppl", WordnetDataset.LEXICOGRAPHER_FILES.get(44));
    }

    @Test
    void headerShortTextsEmptyDefinitionsAndDuplicateTextsAreLeftOut() {
        WordnetDataset dataset = WordnetDataset.of(LINES, 20, 400);
        // animal: dog, cat, house cat ("tiny: short" is too short, quote_only has no definition)
        // plant: fungus, mushroom once (the second mushroom's text is the same after whitespace collapses)
        assertEquals(Map.of("animal", 3, "plant", 2, "food", 1), dataset.sizes());
    }

    @Test
    void notANounLineIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> WordnetDataset.parse("00001740 00 a 01 able 0 000 | x"));
        assertThrows(IllegalArgumentException.class, () -> WordnetDataset.parse("no gloss here"));
    }

    @Test
    void windowsIntroduceTheirCategoriesOnlyAndAreReproducible() {
        WordnetDataset dataset = WordnetDataset.of(LINES, 20, 400);
        List<List<String>> schedule = List.of(List.of("animal"), List.of("plant", "food"));
        List<StreamWindow> windows = dataset.windows(schedule, 1, 7);
        assertEquals(2, windows.size());
        assertEquals(List.of("animal"), windows.get(0).labels());
        assertEquals(1, windows.get(0).examples().size());
        assertEquals("animal", windows.get(0).examples().get(0).label());
        assertEquals(Set.of("plant", "food"), new HashSet<>(windows.get(1).examples().stream()
                .map(StreamWindow.Example::label).toList()));
        assertEquals(windows, dataset.windows(schedule, 1, 7));
        assertTrue(windows.get(0).examples().get(0).id().startsWith("wordnet-"));

        List<StreamWindow.Example> all = dataset.windows(List.of(List.of("animal")), 3, 1).get(0).examples();
        assertEquals(3, new HashSet<>(all.stream().map(StreamWindow.Example::text).toList()).size());
    }

    @Test
    void askingForMoreThanACategoryHasOrTheSameCategoryTwiceFails() {
        WordnetDataset dataset = WordnetDataset.of(LINES, 20, 400);
        assertThrows(IllegalArgumentException.class, () -> dataset.windows(List.of(List.of("plant")), 3, 7));
        assertThrows(IllegalArgumentException.class,
                () -> dataset.windows(List.of(List.of("animal"), List.of("animal")), 1, 7));
    }
}
