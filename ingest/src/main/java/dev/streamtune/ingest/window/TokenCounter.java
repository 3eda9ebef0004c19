package dev.streamtune.ingest.window;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

import dev.streamtune.ingest.CompactReader;
import dev.streamtune.ingest.CompactWriter;

/**
 * Approximate token frequencies of one window in bounded memory (a lossy counter): when the table is full, the
 * less frequent half is dropped. Frequent tokens stay; their counts are exact from the moment they last entered
 * the table, so reported counts are lower bounds. Deterministic: ties are broken by the token itself.
 */
public final class TokenCounter {

    static final int CAPACITY = 4096;
    private static final Comparator<Map.Entry<String, long[]>> MOST_FREQUENT_FIRST =
            Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[0])
                    .thenComparing(Map.Entry::getKey);

    private final Map<String, long[]> counts = new HashMap<>(CAPACITY * 2);
    private long version;

    void add(String token) {
        long[] count = counts.get(token);
        if (count == null) {
            if (counts.size() >= CAPACITY) {
                prune();
            }
            count = new long[1];
            counts.put(token, count);
        }
        count[0]++;
        version++;
    }

    /** The {@code n} most frequent tokens, most frequent first (a bounded heap, not a full sort). */
    Map<String, Long> top(int n) {
        PriorityQueue<Map.Entry<String, long[]>> heap = new PriorityQueue<>(n + 1, MOST_FREQUENT_FIRST.reversed());
        for (Map.Entry<String, long[]> entry : counts.entrySet()) {
            heap.add(entry);
            if (heap.size() > n) {
                heap.poll(); // drops the least frequent of the n + 1
            }
        }
        List<Map.Entry<String, long[]>> top = new ArrayList<>(heap);
        top.sort(MOST_FREQUENT_FIRST);
        Map<String, Long> result = new LinkedHashMap<>();
        top.forEach(e -> result.put(e.getKey(), e.getValue()[0]));
        return result;
    }

    int size() {
        return counts.size();
    }

    /** Changes with every token added; lets the owner persist only when something changed. */
    long version() {
        return version;
    }

    void clear() {
        counts.clear();
        version++;
    }

    void writeTo(CompactWriter out) {
        out.writeLong(counts.size());
        counts.forEach((token, count) -> out.writeString(token).writeLong(count[0]));
    }

    void readFrom(CompactReader in) {
        counts.clear();
        for (int i = in.readInt(); i > 0; i--) {
            counts.put(in.readString(), new long[] {in.readLong()});
        }
    }

    private void prune() {
        List<Map.Entry<String, long[]>> keep = sorted().subList(0, CAPACITY / 2);
        Map<String, long[]> kept = new HashMap<>(CAPACITY * 2);
        keep.forEach(e -> kept.put(e.getKey(), e.getValue()));
        counts.clear();
        counts.putAll(kept);
    }

    private List<Map.Entry<String, long[]>> sorted() {
        List<Map.Entry<String, long[]>> all = new ArrayList<>(counts.entrySet());
        all.sort(MOST_FREQUENT_FIRST);
        return all;
    }
}
