package dev.streamtune.trainer.augment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Synonyms from the WordNet 3.0 database in its Debian layout ({@code wordnet-base}: {@code /usr/share/wordnet/}
 * with {@code index.noun}, {@code data.noun}, and the same for verb, adj and adv; wndb(5WN)). A word's synonyms are
 * the other lemmas of every synset it belongs to, in any part of speech: the usual reading in EDA (Wei and Zou
 * 2019), which uses WordNet the same way.
 *
 * <p>An index line reads {@code lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset
 * [synset_offset...]}: the last {@code synset_cnt} fields are the byte offsets of the word's synsets in the data file
 * of that part of speech. A data line reads {@code synset_offset lex_filenum ss_type w_cnt word lex_id [word lex_id
 * ...] ...}, {@code w_cnt} in hexadecimal; an adjective's word may end in a syntactic marker ({@code (a)},
 * {@code (p)}, {@code (ip)}). Lines starting with a space are the licence header. Multi-word lemmas join their words
 * with underscores; they come back with spaces.
 *
 * <p>The index files are read into memory (about 155,000 lemmas); the data files are kept as bytes (about 22 MB)
 * and a synset is parsed when asked for, each word's answer remembered.
 */
public final class WordnetSynonyms implements Synonyms {

    static final List<String> PARTS_OF_SPEECH = List.of("noun", "verb", "adj", "adv");

    /** The dictionary is not where the settings say. */
    public static final class MissingDictionary extends IOException {
        public MissingDictionary(String message) {
            super(message);
        }
    }

    private final List<byte[]> data = new ArrayList<>();
    private final List<Map<String, long[]>> index = new ArrayList<>();
    private final Map<String, List<String>> answers = new HashMap<>();

    private WordnetSynonyms() {
    }

    /**
     * Reads the database files of {@code directory} (those of the four parts of speech that are there: a small
     * dictionary may have only nouns).
     *
     * @throws MissingDictionary when the directory holds no index/data pair, naming it and how to install one
     */
    public static WordnetSynonyms load(Path directory) throws IOException {
        WordnetSynonyms synonyms = new WordnetSynonyms();
        for (String pos : PARTS_OF_SPEECH) {
            Path indexFile = directory.resolve("index." + pos);
            Path dataFile = directory.resolve("data." + pos);
            if (Files.isRegularFile(indexFile) && Files.isRegularFile(dataFile)) {
                synonyms.index.add(readIndex(indexFile));
                synonyms.data.add(Files.readAllBytes(dataFile));
            }
        }
        if (synonyms.index.isEmpty()) {
            throw new MissingDictionary(missing(directory));
        }
        return synonyms;
    }

    /** The error for a directory without the database: where it looked and how to get it there. */
    public static String missing(Path directory) {
        return "no WordNet database (index.noun and data.noun, ...) in " + directory.toAbsolutePath()
                + ", which trainer.augmentation.wordnet-dir names and the synonym-replacement and random-insertion"
                + " augmentations need: install Debian's wordnet-base (apt-get install wordnet-base, into"
                + " /usr/share/wordnet), or point wordnet-dir at an extracted copy such as the bench's"
                + " ~/.cache/streamtune/wordnet-base/root/usr/share/wordnet (bench/run.sh wordnet fetches it);"
                + " or set those two rates to 0";
    }

    @Override
    public synchronized List<String> of(String word) {
        String key = word.toLowerCase(Locale.ROOT).replace(' ', '_');
        return answers.computeIfAbsent(key, this::lookUp);
    }

    private List<String> lookUp(String key) {
        Set<String> found = new LinkedHashSet<>();
        for (int p = 0; p < index.size(); p++) {
            long[] offsets = index.get(p).get(key);
            if (offsets == null) {
                continue;
            }
            for (long offset : offsets) {
                for (String lemma : lemmas(data.get(p), offset)) {
                    String normal = lemma.toLowerCase(Locale.ROOT);
                    if (!normal.equals(key)) {
                        found.add(normal.replace('_', ' '));
                    }
                }
            }
        }
        return List.copyOf(found);
    }

    private static Map<String, long[]> readIndex(Path file) throws IOException {
        Map<String, long[]> entries = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
            if (line.isEmpty() || line.charAt(0) == ' ') {
                continue; // licence header
            }
            String[] fields = line.trim().split(" +");
            if (fields.length < 6) {
                throw new IOException("not a WordNet index line in " + file + ": " + line);
            }
            int synsets = Integer.parseInt(fields[2]);
            long[] offsets = new long[synsets];
            for (int i = 0; i < synsets; i++) {
                offsets[i] = Long.parseLong(fields[fields.length - synsets + i]);
            }
            entries.put(fields[0], offsets);
        }
        return entries;
    }

    /** The lemmas of the synset whose line starts at byte {@code offset} of a data file. */
    static List<String> lemmas(byte[] data, long offset) {
        int start = (int) offset;
        int end = start;
        while (end < data.length && data[end] != '\n') {
            end++;
        }
        String line = new String(data, start, end - start, StandardCharsets.ISO_8859_1);
        String[] fields = line.trim().split(" +");
        if (fields.length < 5 || !fields[0].equals(String.format(Locale.ROOT, "%08d", offset))) {
            throw new IllegalStateException("no synset at offset " + offset + " (index and data files disagree)");
        }
        int count = Integer.parseInt(fields[3], 16);
        List<String> lemmas = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String word = fields[4 + 2 * i];
            int marker = word.indexOf('(');
            lemmas.add(marker < 0 ? word : word.substring(0, marker));
        }
        return lemmas;
    }
}
