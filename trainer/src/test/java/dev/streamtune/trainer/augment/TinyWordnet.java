package dev.streamtune.trainer.augment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A WordNet database of a few synsets in the Debian layout (wndb(5WN): index and data files whose offsets are byte
 * positions, a licence header of lines starting with a space), written by the tests that read it.
 */
final class TinyWordnet {

    /** Synsets per part of speech, each a list of lemmas (multi-word ones with underscores). */
    static final Map<String, List<List<String>>> SYNSETS = new LinkedHashMap<>();

    static {
        SYNSETS.put("noun", List.of(
                List.of("dog", "domestic_dog", "Canis_familiaris"),
                List.of("dog", "frump"),
                List.of("car", "auto", "automobile"),
                List.of("house", "home")));
        SYNSETS.put("verb", List.of(
                List.of("dog", "chase", "trail"),
                List.of("run", "sprint")));
        SYNSETS.put("adj", List.of(
                List.of("happy(a)", "glad(p)")));
    }

    private TinyWordnet() {
    }

    static Path write(Path directory) throws IOException {
        Files.createDirectories(directory);
        for (var entry : SYNSETS.entrySet()) {
            String pos = entry.getKey();
            String ssType = pos.substring(0, 1);
            StringBuilder data = new StringBuilder();
            data.append("  1 This software and database is being provided to you, the LICENSEE, by  \n");
            data.append("  2 Princeton University under the following license.  \n");
            Map<String, List<Long>> index = new TreeMap<>();
            for (List<String> synset : entry.getValue()) {
                long offset = data.toString().getBytes(StandardCharsets.ISO_8859_1).length;
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%08d 03 %s %02x", offset,
                        ssType, synset.size()));
                for (String lemma : synset) {
                    line.append(' ').append(lemma).append(" 0");
                    String key = lemma.replaceAll("\\(.*\\)$", "").toLowerCase(Locale.ROOT);
                    index.computeIfAbsent(key, k -> new ArrayList<>()).add(offset);
                }
                line.append(" 000 | a gloss; \"an example\"  \n");
                data.append(line);
            }
            StringBuilder indexFile = new StringBuilder("  1 This software and database is being provided  \n");
            index.forEach((lemma, offsets) -> {
                indexFile.append(String.format(Locale.ROOT, "%s %s %d 0 %d 0", lemma, ssType, offsets.size(),
                        offsets.size()));
                offsets.forEach(o -> indexFile.append(String.format(Locale.ROOT, " %08d", o)));
                indexFile.append("  \n");
            });
            Files.writeString(directory.resolve("data." + pos), data, StandardCharsets.ISO_8859_1);
            Files.writeString(directory.resolve("index." + pos), indexFile, StandardCharsets.ISO_8859_1);
        }
        return directory;
    }
}
