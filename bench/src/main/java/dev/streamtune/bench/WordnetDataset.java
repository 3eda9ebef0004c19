package dev.streamtune.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * WordNet noun synsets as labelled texts: the text is the synset's first lemma and its definition, the label the
 * lexicographer file the synset was filed under ({@code noun.animal} is labelled {@code animal}). Parses the
 * {@code data.noun} format of wndb(5WN) and samples a class-incremental sequence of windows from it.
 *
 * <p>A data line reads {@code synset_offset lex_filenum ss_type w_cnt word lex_id [word lex_id ...] p_cnt
 * [pointers ...] | gloss}; {@code w_cnt} is two hexadecimal digits, {@code lex_filenum} indexes
 * {@link #LEXICOGRAPHER_FILES}. Lines that start with a space are the licence header.
 */
public final class WordnetDataset {

    /**
     * The lexicographer files by number, as lexnames(5WN) lists them. WordNet 3.0 is frozen and Debian ships this
     * table only as a man page, so it is written out here.
     */
    static final List<String> LEXICOGRAPHER_FILES = List.of(
            "adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal", "noun.artifact",
            "noun.attribute", "noun.body", "noun.cognition", "noun.communication", "noun.event", "noun.feeling",
            "noun.food", "noun.group", "noun.location", "noun.motive", "noun.object", "noun.person",
            "noun.phenomenon", "noun.plant", "noun.possession", "noun.process", "noun.quantity", "noun.relation",
            "noun.shape", "noun.state", "noun.substance", "noun.time", "verb.body", "verb.change", "verb.cognition",
            "verb.communication", "verb.competition", "verb.consumption", "verb.contact", "verb.creation",
            "verb.emotion", "verb.motion", "verb.perception", "verb.possession", "verb.social", "verb.stative",
            "verb.weather", "adj.ppl");

    /** One noun synset: its offset in data.noun (unique), category (without "noun."), first lemma and gloss. */
    public record Synset(String offset, String category, String lemma, String gloss) {

        /**
         * "lemma: definition", the lemma with spaces for underscores and the definition without the gloss's quoted
         * usage examples (which seldom say what kind of thing the word is), whitespace collapsed.
         */
        public String text() {
            return collapse(lemma.replace('_', ' ') + ": " + definition(gloss));
        }
    }

    private final Map<String, List<Synset>> byCategory;

    private WordnetDataset(Map<String, List<Synset>> byCategory) {
        this.byCategory = byCategory;
    }

    /** Reads a data.noun file, keeping the synsets whose text has between minChars and maxChars characters. */
    public static WordnetDataset read(Path dataNoun, int minChars, int maxChars) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(dataNoun, StandardCharsets.ISO_8859_1)) {
            return of(reader.lines().toList(), minChars, maxChars);
        }
    }

    /**
     * Parses data.noun lines. Texts are de-duplicated here, so that ingest drops none and every window closes at
     * exactly the count it was sent: the first synset (in file order) with a text keeps it, later ones are left out.
     */
    public static WordnetDataset of(List<String> lines, int minChars, int maxChars) {
        Map<String, List<Synset>> byCategory = new LinkedHashMap<>();
        Set<String> texts = new HashSet<>();
        for (String line : lines) {
            if (line.isEmpty() || line.charAt(0) == ' ') {
                continue; // licence header
            }
            Synset synset = parse(line);
            String text = synset.text();
            int length = text.codePointCount(0, text.length());
            if (length >= minChars && length <= maxChars && !definition(synset.gloss()).isEmpty()
                    && texts.add(text)) {
                byCategory.computeIfAbsent(synset.category(), c -> new ArrayList<>()).add(synset);
            }
        }
        return new WordnetDataset(byCategory);
    }

    /** One data line of a noun file; throws IllegalArgumentException when it is not one. */
    static Synset parse(String line) {
        int bar = line.indexOf(" | ");
        if (bar < 0) {
            throw new IllegalArgumentException("no gloss separator in: " + abbreviate(line));
        }
        String[] fields = line.substring(0, bar).trim().split(" +");
        if (fields.length < 6 || !fields[2].equals("n")) {
            throw new IllegalArgumentException("not a noun synset line: " + abbreviate(line));
        }
        int lexFile = Integer.parseInt(fields[1]);
        int words = Integer.parseInt(fields[3], 16);
        if (lexFile < 0 || lexFile >= LEXICOGRAPHER_FILES.size() || words < 1) {
            throw new IllegalArgumentException("bad lex_filenum or w_cnt in: " + abbreviate(line));
        }
        String file = LEXICOGRAPHER_FILES.get(lexFile);
        String category = file.substring(file.indexOf('.') + 1);
        return new Synset(fields[0], category, fields[4], line.substring(bar + 3).trim());
    }

    /** The gloss up to its first quoted usage example. */
    static String definition(String gloss) {
        int example = gloss.indexOf('"');
        String definition = example < 0 ? gloss : gloss.substring(0, example);
        definition = definition.strip();
        while (definition.endsWith(";") || definition.endsWith(",")) {
            definition = definition.substring(0, definition.length() - 1).strip();
        }
        return definition;
    }

    /** Every usable synset, category by category. */
    public List<Synset> synsets() {
        List<Synset> all = new ArrayList<>();
        byCategory.values().forEach(all::addAll);
        return all;
    }

    /** How many usable synsets each category has. */
    public Map<String, Integer> sizes() {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        byCategory.forEach((category, synsets) -> sizes.put(category, synsets.size()));
        return sizes;
    }

    /**
     * A class-incremental sequence: window k holds {@code perCategory} synsets of each category in
     * {@code schedule.get(k)}, sampled without replacement, reproducible from {@code seed}, in shuffled order.
     * A category appears in one window only.
     */
    public List<StreamWindow> windows(List<List<String>> schedule, int perCategory, long seed) {
        Set<String> seen = new HashSet<>();
        List<StreamWindow> windows = new ArrayList<>();
        for (int k = 0; k < schedule.size(); k++) {
            List<StreamWindow.Example> examples = new ArrayList<>();
            for (String category : schedule.get(k)) {
                if (!seen.add(category)) {
                    throw new IllegalArgumentException(category + " is scheduled in more than one window");
                }
                List<Synset> synsets = new ArrayList<>(byCategory.getOrDefault(category, List.of()));
                if (synsets.size() < perCategory) {
                    throw new IllegalArgumentException("category " + category + " has " + synsets.size()
                            + " usable synsets; " + perCategory + " requested");
                }
                Collections.shuffle(synsets, new Random(seed * 1_000_003L + category.hashCode()));
                synsets.subList(0, perCategory).forEach(s -> examples.add(
                        new StreamWindow.Example("wordnet-" + s.offset(), s.text(), s.category())));
            }
            Collections.shuffle(examples, new Random(seed + k));
            windows.add(new StreamWindow(k, String.join(", ", schedule.get(k)), List.copyOf(schedule.get(k)),
                    List.copyOf(examples)));
        }
        return windows;
    }

    private static String collapse(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }

    private static String abbreviate(String line) {
        return line.length() <= 80 ? line : line.substring(0, 80) + "...";
    }
}
