package dev.streamtune.ingest.window;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.streamtune.ingest.CleanedExample;
import dev.streamtune.ingest.CompactReader;
import dev.streamtune.ingest.CompactWriter;
import dev.streamtune.schema.TrainingWindow;
import dev.streamtune.schema.WindowCloseReason;

/**
 * The open window of one task and its running statistics: split counts, label and slice histograms, token-length
 * histogram and token frequencies. Closing it yields the {@link TrainingWindow} manifest and opens the next
 * window (sequence + 1). The sequence lives here, so it survives restarts with the state store.
 *
 * <p>Everything but the token frequencies is exact and persisted with every example ({@link WindowStateSerde});
 * the token frequencies, which are larger and only feed drift monitoring, are snapshotted less often
 * ({@link TokenSnapshotSerde}), so after a restart the open window's {@code topTokens} may miss the examples since
 * the last snapshot. Mutable and owned by one {@link WindowProcessor}.
 */
public final class WindowState {

    /** Upper bounds (inclusive) of the token-count buckets; the last bucket is open. */
    static final int[] LENGTH_BOUNDS = {8, 16, 32, 64, 128, 256, 512};
    /** Distinct values kept per slice attribute; more fold into {@link #OTHER}, so an id-like attribute is harmless. */
    static final int MAX_SLICE_VALUES = 32;
    static final String OTHER = "(other)";
    static final int TOP_TOKENS = 20;

    private final String task;
    private long sequence;
    private String windowId;
    private long openedAt;
    private long count;
    private long train;
    private long validation;
    private long test;
    private long minEventTime;
    private long maxEventTime;
    private final Map<String, long[]> labels = new LinkedHashMap<>();
    private final Map<String, Map<String, long[]>> slices = new LinkedHashMap<>();
    private final long[] lengths = new long[LENGTH_BOUNDS.length + 1];
    private long tokenSum;
    private final TokenCounter tokens = new TokenCounter();
    private final StringBuilder tokenBuffer = new StringBuilder(32);

    private WindowState(String task, long sequence) {
        this.task = task;
        startWindow(sequence);
    }

    /** A task's state before its first example: window 0, empty. */
    public static WindowState first(String task) {
        return new WindowState(task, 0);
    }

    public static String windowId(String task, long sequence) {
        String digits = Long.toString(sequence);
        return digits.length() >= 6 ? task + "-" + digits : task + "-" + "000000".substring(digits.length()) + digits;
    }

    public String task() {
        return task;
    }

    public long sequence() {
        return sequence;
    }

    /** The id of the open window, which the next example joins. */
    public String windowId() {
        return windowId;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    public long count() {
        return count;
    }

    /** Wall-clock time the window's first example arrived; meaningless while empty. */
    public long openedAt() {
        return openedAt;
    }

    /** Counts one example (with its split set) into the open window. */
    public void add(CleanedExample example, long now) {
        if (count == 0) {
            openedAt = now;
            minEventTime = example.eventTime();
            maxEventTime = example.eventTime();
        } else {
            minEventTime = Math.min(minEventTime, example.eventTime());
            maxEventTime = Math.max(maxEventTime, example.eventTime());
        }
        count++;
        switch (example.split()) {
            case TRAIN -> train++;
            case VALIDATION -> validation++;
            case TEST -> test++;
        }
        labels.computeIfAbsent(example.label(), l -> new long[1])[0]++;
        example.attributes().forEach(this::countSlice);
        int tokenCount = countTokens(example.text());
        tokenSum += tokenCount;
        lengths[bucketOf(tokenCount)]++;
    }

    /**
     * The manifest of the open window; then the state becomes the next, empty window.
     *
     * @param knownLabels the task's label set: absent labels appear with count 0 and count in the imbalance
     */
    public TrainingWindow close(WindowCloseReason reason, long closedAt, List<String> knownLabels) {
        if (count == 0) {
            throw new IllegalStateException("An empty window never closes (" + windowId + ")");
        }
        Map<String, Long> labelHistogram = new LinkedHashMap<>();
        knownLabels.forEach(label -> labelHistogram.put(label, 0L));
        labels.forEach((label, n) -> labelHistogram.put(label, n[0]));
        Map<String, Map<String, Long>> sliceHistogram = new LinkedHashMap<>();
        slices.forEach((attribute, values) -> {
            Map<String, Long> histogram = new LinkedHashMap<>();
            values.forEach((value, n) -> histogram.put(value, n[0]));
            sliceHistogram.put(attribute, histogram);
        });
        List<Long> lengthHistogram = new ArrayList<>(lengths.length);
        Arrays.stream(lengths).forEach(lengthHistogram::add);
        List<Integer> bounds = new ArrayList<>(LENGTH_BOUNDS.length);
        Arrays.stream(LENGTH_BOUNDS).forEach(bounds::add);
        TrainingWindow manifest = TrainingWindow.newBuilder()
                .setWindowId(windowId)
                .setTask(task)
                .setSequence(sequence)
                .setStart(Instant.ofEpochMilli(minEventTime))
                .setEnd(Instant.ofEpochMilli(maxEventTime))
                .setClosedAt(Instant.ofEpochMilli(closedAt))
                .setCloseReason(reason)
                .setTrainCount(train)
                .setValidationCount(validation)
                .setTestCount(test)
                .setLabelHistogram(labelHistogram)
                .setSliceHistogram(sliceHistogram)
                .setImbalanceRatio(imbalanceRatio(labelHistogram))
                .setLengthHistogram(lengthHistogram)
                .setLengthBucketBounds(bounds)
                .setMeanLength((double) tokenSum / count)
                .setTopTokens(tokens.top(TOP_TOKENS))
                .build();
        startWindow(sequence + 1);
        return manifest;
    }

    /** Most frequent label over least frequent; a label with no example counts as 1 so the ratio stays finite. */
    static double imbalanceRatio(Map<String, Long> labelHistogram) {
        long max = 0;
        long min = Long.MAX_VALUE;
        for (long n : labelHistogram.values()) {
            max = Math.max(max, n);
            min = Math.min(min, n);
        }
        return labelHistogram.isEmpty() ? 1.0 : (double) max / Math.max(1, min);
    }

    static int bucketOf(int tokenCount) {
        for (int b = 0; b < LENGTH_BOUNDS.length; b++) {
            if (tokenCount <= LENGTH_BOUNDS[b]) {
                return b;
            }
        }
        return LENGTH_BOUNDS.length;
    }

    private void countSlice(String attribute, String value) {
        Map<String, long[]> values = slices.computeIfAbsent(attribute, a -> new LinkedHashMap<>());
        long[] n = values.get(value);
        if (n == null) {
            n = values.computeIfAbsent(values.size() < MAX_SLICE_VALUES ? value : OTHER, v -> new long[1]);
        }
        n[0]++;
    }

    /**
     * Tokens are maximal runs of letters and digits, lower-cased. All of them count towards the length; those of
     * two or more characters with at least one letter towards the token frequencies (numbers are mostly ids and
     * amounts: noise for drift, and each new one would take a slot in the bounded table).
     */
    private int countTokens(String text) {
        int tokenCount = 0;
        StringBuilder token = tokenBuffer;
        token.setLength(0);
        boolean hasLetter = false;
        for (int i = 0; i <= text.length(); ) {
            int cp = i < text.length() ? text.codePointAt(i) : ' ';
            i += i < text.length() ? Character.charCount(cp) : 1;
            if (Character.isLetter(cp)) {
                token.appendCodePoint(Character.toLowerCase(cp));
                hasLetter = true;
            } else if (Character.isDigit(cp)) {
                token.appendCodePoint(cp);
            } else if (token.length() > 0) {
                tokenCount++;
                if (hasLetter && token.length() >= 2) {
                    tokens.add(token.toString());
                }
                token.setLength(0);
                hasLetter = false;
            }
        }
        return tokenCount;
    }

    private void startWindow(long newSequence) {
        sequence = newSequence;
        windowId = windowId(task, newSequence);
        openedAt = 0;
        count = 0;
        train = 0;
        validation = 0;
        test = 0;
        minEventTime = 0;
        maxEventTime = 0;
        labels.clear();
        slices.clear();
        Arrays.fill(lengths, 0);
        tokenSum = 0;
        tokens.clear();
    }

    // --- persistence, used by WindowStateSerde ---

    private static final int FORMAT_VERSION = 2;

    void writeTo(CompactWriter out) {
        out.writeByte(FORMAT_VERSION).writeString(task).writeLong(sequence).writeLong(openedAt).writeLong(count)
                .writeLong(train).writeLong(validation).writeLong(test)
                .writeLong(minEventTime).writeLong(maxEventTime);
        out.writeLong(labels.size());
        labels.forEach((label, n) -> out.writeString(label).writeLong(n[0]));
        out.writeLong(slices.size());
        slices.forEach((attribute, values) -> {
            out.writeString(attribute).writeLong(values.size());
            values.forEach((value, n) -> out.writeString(value).writeLong(n[0]));
        });
        out.writeLong(lengths.length);
        for (long n : lengths) {
            out.writeLong(n);
        }
        out.writeLong(tokenSum);
    }

    static WindowState readFrom(CompactReader in) {
        int version = in.readByte();
        if (version != FORMAT_VERSION) {
            throw new IllegalStateException("Unknown window state format version " + version);
        }
        WindowState state = new WindowState(in.readString(), in.readLong());
        state.openedAt = in.readLong();
        state.count = in.readLong();
        state.train = in.readLong();
        state.validation = in.readLong();
        state.test = in.readLong();
        state.minEventTime = in.readLong();
        state.maxEventTime = in.readLong();
        for (int i = in.readInt(); i > 0; i--) {
            state.labels.put(in.readString(), new long[] {in.readLong()});
        }
        for (int i = in.readInt(); i > 0; i--) {
            String attribute = in.readString();
            Map<String, long[]> values = new LinkedHashMap<>();
            for (int j = in.readInt(); j > 0; j--) {
                values.put(in.readString(), new long[] {in.readLong()});
            }
            state.slices.put(attribute, values);
        }
        int buckets = in.readInt();
        for (int b = 0; b < buckets; b++) {
            long n = in.readLong();
            if (b < state.lengths.length) {
                state.lengths[b] = n;
            }
        }
        state.tokenSum = in.readLong();
        return state;
    }

    /** The token frequencies of the open window, tagged with its sequence. */
    void writeTokensTo(CompactWriter out) {
        out.writeByte(FORMAT_VERSION).writeLong(sequence);
        tokens.writeTo(out);
    }

    /** Restores a token snapshot if it belongs to the open window (not to one closed since it was taken). */
    boolean restoreTokens(CompactReader in) {
        int version = in.readByte();
        if (version != FORMAT_VERSION || in.readLong() != sequence) {
            return false;
        }
        tokens.readFrom(in);
        return true;
    }

    /** Changes whenever the token frequencies change, including when a window closes. */
    long tokensVersion() {
        return tokens.version();
    }
}
