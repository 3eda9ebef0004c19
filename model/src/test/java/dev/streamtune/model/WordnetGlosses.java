package dev.streamtune.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Real text for model tests: WordNet noun glosses ("lemma: definition") labelled by lexicographer category, read
 * from Debian's {@code wordnet-base} package ({@code apt-get install wordnet-base}; .ci/run installs it). Tests that
 * use it are skipped, saying why, where it is not installed.
 */
final class WordnetGlosses {

    static final Path DATA_NOUN = Path.of("/usr/share/wordnet/data.noun");

    /** Lexicographer file numbers of the categories used (WordNet's lexnames). */
    static final Map<String, String> CATEGORIES = Map.of("05", "animal", "13", "food", "06", "artifact");

    private WordnetGlosses() {}

    /** Up to {@code perCategory} glosses of each category, in file order. */
    static List<LabeledText> read(int perCategory) throws IOException {
        Assumptions.assumeTrue(Files.exists(DATA_NOUN),
                "WordNet is not installed (apt-get install wordnet-base): " + DATA_NOUN + " is missing");
        Map<String, Integer> taken = new java.util.HashMap<>();
        List<LabeledText> out = new ArrayList<>();
        for (String line : Files.readAllLines(DATA_NOUN, StandardCharsets.ISO_8859_1)) {
            if (line.startsWith("  ")) {
                continue; // the licence header
            }
            String[] fields = line.split(" ", 6);
            String category = CATEGORIES.get(fields[1]);
            int bar = line.indexOf(" | ");
            if (category == null || bar < 0 || taken.getOrDefault(category, 0) >= perCategory) {
                continue;
            }
            String gloss = line.substring(bar + 3).split(";")[0].trim();
            if (gloss.length() < 20) {
                continue;
            }
            out.add(new LabeledText(fields[4].replace('_', ' ') + ": " + gloss, category));
            taken.merge(category, 1, Integer::sum);
        }
        return out;
    }
}
