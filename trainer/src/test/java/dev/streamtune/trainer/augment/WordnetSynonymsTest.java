package dev.streamtune.trainer.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordnetSynonymsTest {

    @TempDir
    Path dir;

    @Test
    void aWordsSynonymsAreTheOtherLemmasOfItsSynsetsInEveryPartOfSpeech() throws Exception {
        WordnetSynonyms wordnet = WordnetSynonyms.load(TinyWordnet.write(dir));
        assertEquals(List.of("domestic dog", "canis familiaris", "frump", "chase", "trail"), wordnet.of("dog"));
        assertEquals(List.of("dog", "trail"), wordnet.of("chase"));
        assertEquals(List.of("auto", "automobile"), wordnet.of("Car"), "looked up in lower case");
    }

    @Test
    void multiWordLemmasAreLookedUpWithSpacesAndAdjectiveMarkersDropped() throws Exception {
        WordnetSynonyms wordnet = WordnetSynonyms.load(TinyWordnet.write(dir));
        assertEquals(List.of("dog", "canis familiaris"), wordnet.of("domestic dog"));
        assertEquals(List.of("glad"), wordnet.of("happy"));
    }

    @Test
    void anUnknownWordHasNoSynonyms() throws Exception {
        assertEquals(List.of(), WordnetSynonyms.load(TinyWordnet.write(dir)).of("zebra"));
    }

    @Test
    void aMissingDictionaryNamesThePathAndHowToInstallIt() {
        Path nowhere = dir.resolve("no-wordnet");
        WordnetSynonyms.MissingDictionary e = assertThrows(WordnetSynonyms.MissingDictionary.class,
                () -> WordnetSynonyms.load(nowhere));
        assertTrue(e.getMessage().contains(nowhere.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install wordnet-base"), e.getMessage());
        assertTrue(e.getMessage().contains(".cache/streamtune/wordnet-base"), e.getMessage());
    }

    @Test
    void readsTheDebianPackageWhereItIsInstalled() throws Exception {
        Path debian = Path.of("/usr/share/wordnet");
        Assumptions.assumeTrue(Files.isRegularFile(debian.resolve("data.noun")), "wordnet-base not installed");
        WordnetSynonyms wordnet = WordnetSynonyms.load(debian);
        assertTrue(wordnet.of("car").contains("automobile"), wordnet.of("car").toString());
        assertTrue(wordnet.of("happy").contains("glad"), wordnet.of("happy").toString());
    }
}
