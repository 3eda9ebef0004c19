package dev.streamtune.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * A stream of labelled real text that {@link StreamBench} sends through the pipeline: one task, its labels, the
 * text bounds ingest enforces for it, and its windows for a seed. Each implementation fetches its data at bench time
 * into {@code ~/.cache/streamtune} (never into the repository).
 */
interface BenchStream {

    /** The benchmark's name ({@code bench/run.sh <name>}), also the task's name and the results file's prefix. */
    String name();

    /** A heading for the results file. */
    String title();

    /** The {@code source} field of every example sent. */
    String source();

    /** The task's labels, in head order. */
    List<String> labels();

    /** Ingest's text bounds for the task; the stream's texts are all inside them, so ingest refuses none. */
    int minChars();

    int maxChars();

    /** Whether windows bring new labels (class-incremental), so that declaring them over time means anything. */
    boolean classIncremental();

    /** What the windows are and where the data came from, for the log and the results file. */
    String description();

    /** The windows for one seed (which examples are drawn and in which order). */
    List<StreamWindow> windows(long seed);

    /**
     * @param windows  how many windows (null: all the stream defines)
     * @param perLabel examples per label per window (null: the stream's default, or its quick one)
     */
    static BenchStream open(String name, Integer windows, Integer perLabel, boolean quick) throws Exception {
        return switch (name) {
            case WordnetStream.NAME -> WordnetStream.open(Path.of(System.getProperty("bench.wordnet.cache",
                    WordnetPackage.defaultCache().toString())), windows, perLabel, quick);
            case SpamStream.NAME -> SpamStream.open(Path.of(System.getProperty("bench.spam.cache",
                    SpamAssassinPackage.defaultCache().toString())), windows, perLabel, quick);
            default -> throw new IllegalArgumentException("unknown stream '" + name + "': wordnet or spam");
        };
    }
}
