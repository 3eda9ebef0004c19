package dev.streamtune.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The SpamAssassin public corpus as labelled texts, and a domain-incremental stream over it. Each message is one of
 * the corpus's collections ({@code easy-ham-1}, {@code hard-ham-1}, {@code spam-1}: the first release, 2002;
 * {@code easy-ham-2}, {@code spam-2}: added later from other mailboxes and traps); its label is {@code spam} for the
 * spam collections and {@code ham} otherwise, its text the readable body ({@link EmailBody}), normalised as ingest
 * normalises (NFKC, no control characters, whitespace collapsed) and cut to the first {@code maxChars} code points
 * (the encoder reads about the first 250 characters anyway). Texts are de-duplicated here, so ingest drops none and
 * every window closes at exactly the count it was sent.
 */
public final class SpamAssassinCorpus {

    public static final String HAM = "ham";
    public static final String SPAM = "spam";

    /** One message: its collection, MD5 checksum (the corpus's own id) and cleaned text. */
    public record Message(String group, String checksum, String text) {

        public String label() {
            return labelOf(group);
        }
    }

    /** A domain: the window's ham from one collection and its spam from another. */
    public record Domain(String hamGroup, String spamGroup) {

        public String name() {
            return hamGroup + " + " + spamGroup;
        }
    }

    private final Map<String, List<Message>> byGroup;

    private SpamAssassinCorpus(Map<String, List<Message>> byGroup) {
        this.byGroup = byGroup;
    }

    static String labelOf(String group) {
        return group.startsWith("spam") ? SPAM : HAM;
    }

    /** Reads the package's data directory (the files file_list.json names, as JSON). */
    public static SpamAssassinCorpus read(Path data, int minChars, int maxChars) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> messages = new ArrayList<>();
        for (JsonNode file : json.readTree(data.resolve("file_list.json").toFile())) {
            // The list names the raw .txt files; the package's reader loads their .json twins, and so do we.
            String name = file.asText().replaceAll("\\.txt$", ".json");
            messages.add(json.readTree(data.resolve(name).toFile()));
        }
        return of(messages.stream().map(m -> new String[] {m.path("group").asText(),
                m.path("checksum").path("value").asText(), m.path("text").asText()}).toList(), minChars, maxChars);
    }

    /**
     * From (group, checksum, raw message) triples: bodies extracted and cleaned, kept when at least minChars long
     * and not already kept (first in list order wins).
     */
    public static SpamAssassinCorpus of(List<String[]> messages, int minChars, int maxChars) {
        Map<String, List<Message>> byGroup = new LinkedHashMap<>();
        Set<String> texts = new HashSet<>();
        for (String[] message : messages) {
            String text = truncate(normalise(EmailBody.text(message[2])), maxChars);
            if (text.codePointCount(0, text.length()) >= minChars && texts.add(text)) {
                byGroup.computeIfAbsent(message[0], g -> new ArrayList<>())
                        .add(new Message(message[0], message[1], text));
            }
        }
        return new SpamAssassinCorpus(byGroup);
    }

    /** One collection's usable messages, in corpus order (empty for an unknown collection). */
    public List<Message> messages(String group) {
        return List.copyOf(byGroup.getOrDefault(group, List.of()));
    }

    /** How many usable messages each collection has. */
    public Map<String, Integer> sizes() {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        byGroup.forEach((group, messages) -> sizes.put(group, messages.size()));
        return sizes;
    }

    /**
     * A domain-incremental sequence: window k holds {@code perLabel} ham messages from its domain's ham collection
     * and as many spam messages from its spam collection, in shuffled order. Each collection is shuffled once (from
     * {@code seed}) and consumed in order, so a collection shared by two windows gives them disjoint messages.
     */
    public List<StreamWindow> windows(List<Domain> schedule, int perLabel, long seed) {
        Map<String, List<Message>> pools = new HashMap<>();
        Map<String, Integer> taken = new HashMap<>();
        List<StreamWindow> windows = new ArrayList<>();
        for (int k = 0; k < schedule.size(); k++) {
            Domain domain = schedule.get(k);
            List<StreamWindow.Example> examples = new ArrayList<>();
            for (String group : List.of(domain.hamGroup(), domain.spamGroup())) {
                List<Message> pool = pools.computeIfAbsent(group, g -> {
                    List<Message> shuffled = new ArrayList<>(byGroup.getOrDefault(g, List.of()));
                    Collections.shuffle(shuffled, new Random(seed * 1_000_003L + g.hashCode()));
                    return shuffled;
                });
                int from = taken.getOrDefault(group, 0);
                if (pool.size() - from < perLabel) {
                    throw new IllegalArgumentException("collection " + group + " has " + (pool.size() - from)
                            + " usable messages left for window " + (k + 1) + "; " + perLabel + " requested");
                }
                pool.subList(from, from + perLabel).forEach(m -> examples.add(new StreamWindow.Example(
                        "spamassassin-" + m.group() + "-" + m.checksum(), m.text(), m.label())));
                taken.put(group, from + perLabel);
            }
            Collections.shuffle(examples, new Random(seed + k));
            windows.add(new StreamWindow(k, domain.name(), List.of(HAM, SPAM), List.copyOf(examples)));
        }
        return windows;
    }

    /**
     * Every usable message, shuffled once by {@code seed} and cut into {@code count} consecutive windows of
     * {@code size}: no domain schedule, ham and spam in the corpus's own proportion (about one in four is spam), each
     * message in at most one window. For benches that measure the pipeline rather than forgetting.
     *
     * @throws IllegalArgumentException when the corpus has fewer than count x size messages, or a window would hold
     *                                  only one label (the gate and the trainer need both)
     */
    public List<StreamWindow> shuffledWindows(int count, int size, long seed) {
        List<Message> all = new ArrayList<>();
        byGroup.values().forEach(all::addAll);
        if (count < 1 || size < 1 || (long) count * size > all.size()) {
            throw new IllegalArgumentException("the corpus has " + all.size() + " usable messages; " + count
                    + " windows of " + size + " requested");
        }
        Collections.shuffle(all, new Random(seed));
        List<StreamWindow> windows = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            List<StreamWindow.Example> examples = all.subList(k * size, (k + 1) * size).stream()
                    .map(m -> new StreamWindow.Example("spamassassin-" + m.group() + "-" + m.checksum(), m.text(),
                            m.label())).toList();
            if (examples.stream().map(StreamWindow.Example::label).distinct().count() < 2) {
                throw new IllegalArgumentException("window " + (k + 1) + " of seed " + seed + " holds one label "
                        + "only; use larger windows or another seed");
            }
            windows.add(new StreamWindow(k, "shuffled " + (k + 1), List.of(HAM, SPAM), examples));
        }
        return windows;
    }

    /** What ingest's TextNormaliser does, so that ingest leaves the text as sent and de-duplicates nothing more. */
    static String normalise(String raw) {
        String text = Normalizer.normalize(raw, Normalizer.Form.NFKC);
        StringBuilder out = new StringBuilder(text.length());
        boolean pendingSpace = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85) {
                pendingSpace = out.length() > 0;
            } else if (type != Character.CONTROL && type != Character.SURROGATE
                    && (type != Character.FORMAT || cp == 0x200C || cp == 0x200D)) {
                if (pendingSpace) {
                    out.append(' ');
                    pendingSpace = false;
                }
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }

    /** The first maxChars code points, without a trailing space. */
    static String truncate(String text, int maxChars) {
        if (text.codePointCount(0, text.length()) <= maxChars) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, maxChars)).stripTrailing();
    }
}
