package dev.streamtune.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Labelling, cleaning and windows on generated messages; nothing is downloaded. */
class SpamAssassinCorpusTest {

    private static List<String[]> messages(String group, int n) {
        List<String[]> messages = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            messages.add(new String[] {group, group + "-md5-" + i,
                    "Subject: s\nX-Spam-Flag: " + group + "\n\nMessage number " + i + " of the " + group
                            + " collection,\twith\n\nwhitespace."});
        }
        return messages;
    }

    private static SpamAssassinCorpus corpus() {
        List<String[]> all = new ArrayList<>();
        for (String group : List.of("easy-ham-1", "hard-ham-1", "spam-1", "easy-ham-2", "spam-2")) {
            all.addAll(messages(group, 10));
        }
        return SpamAssassinCorpus.of(all, 20, 600);
    }

    @Test
    void spamCollectionsAreSpamAndEveryOtherIsHam() {
        assertEquals("spam", SpamAssassinCorpus.labelOf("spam-2"));
        assertEquals("ham", SpamAssassinCorpus.labelOf("hard-ham-1"));
        assertEquals("ham", SpamAssassinCorpus.labelOf("easy-ham-2"));
    }

    @Test
    void textsAreBodiesNormalisedCutAndDeDuplicated() {
        List<String[]> raw = new ArrayList<>(messages("easy-ham-1", 2));
        raw.add(new String[] {"spam-1", "copy", raw.get(0)[2]}); // the same body again, as forwarded spam can be
        raw.add(new String[] {"spam-1", "short", "Subject: x\n\ntoo short"});
        raw.add(new String[] {"spam-1", "long", "Subject: x\n\n" + "word ".repeat(200)});
        SpamAssassinCorpus corpus = SpamAssassinCorpus.of(raw, 20, 30);
        assertEquals(2, corpus.sizes().get("easy-ham-1"));
        assertEquals(1, corpus.sizes().get("spam-1"));
        StreamWindow window = corpus.windows(List.of(new SpamAssassinCorpus.Domain("easy-ham-1", "spam-1")), 1, 1)
                .get(0);
        window.examples().forEach(e -> {
            assertTrue(e.text().length() <= 30, e.text());
            assertTrue(!e.text().contains("Subject") && !e.text().contains("  ") && !e.text().contains("\t"));
        });
        assertTrue(window.examples().stream().anyMatch(e -> e.text().equals("word word word word word word")));
    }

    @Test
    void eachWindowIsHalfHamHalfSpamFromItsDomainAndSharedCollectionsDoNotRepeat() {
        List<SpamAssassinCorpus.Domain> schedule = List.of(new SpamAssassinCorpus.Domain("easy-ham-1", "spam-1"),
                new SpamAssassinCorpus.Domain("hard-ham-1", "spam-1"),
                new SpamAssassinCorpus.Domain("easy-ham-2", "spam-2"));
        List<StreamWindow> windows = corpus().windows(schedule, 4, 7);
        assertEquals(3, windows.size());
        Set<String> ids = new HashSet<>();
        for (StreamWindow window : windows) {
            assertEquals(List.of("ham", "spam"), window.labels());
            assertEquals(4, window.examples().stream().filter(e -> e.label().equals("ham")).count());
            assertEquals(4, window.examples().stream().filter(e -> e.label().equals("spam")).count());
            window.examples().forEach(e -> assertTrue(ids.add(e.id()), "repeated " + e.id()));
        }
        assertEquals("hard-ham-1 + spam-1", windows.get(1).name());
        assertTrue(windows.get(1).examples().stream().filter(e -> e.label().equals("ham"))
                .allMatch(e -> e.id().startsWith("spamassassin-hard-ham-1-")));
        assertEquals(windows, corpus().windows(schedule, 4, 7), "the same seed gives the same windows");
        assertTrue(!windows.equals(corpus().windows(schedule, 4, 8)), "another seed draws others");
    }

    @Test
    void aCollectionTooSmallForTheScheduleIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> corpus().windows(List.of(
                new SpamAssassinCorpus.Domain("easy-ham-1", "spam-1"),
                new SpamAssassinCorpus.Domain("hard-ham-1", "spam-1")), 6, 7));
    }

    @Test
    void shuffledWindowsAreDisjointCutsOfTheWholeCorpusWithBothLabels() {
        List<StreamWindow> windows = corpus().shuffledWindows(3, 12, 5);
        assertEquals(3, windows.size());
        Set<String> ids = new HashSet<>();
        for (StreamWindow window : windows) {
            assertEquals(12, window.examples().size());
            assertEquals(Set.of("ham", "spam"), Set.copyOf(window.examples().stream()
                    .map(StreamWindow.Example::label).toList()));
            window.examples().forEach(e -> assertTrue(ids.add(e.id()), "repeated " + e.id()));
        }
        assertEquals(windows, corpus().shuffledWindows(3, 12, 5), "the same seed gives the same windows");
    }

    @Test
    void moreShuffledWindowsThanTheCorpusHoldsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> corpus().shuffledWindows(2, 26, 5));
    }
}
