package dev.streamtune.model;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The output of a base model's frozen bottom encoder layers ({@link ClassifierConfig#frozenBottomLayers}) by token
 * ids: what those layers compute depends on the tokens alone, so a trainer that passes over the same texts again
 * (epochs, replay, validation every few steps, a teacher's logits, calibration) runs them once per text. Least
 * recently used entries go first once {@code maxBytes} is reached. Thread-safe.
 *
 * <p>Values are each text's unpadded {@code [tokens, hidden]} rows, fp32 on the Java heap (64 tokens x 384 hidden
 * of MiniLM: 96 KiB a text). Keys include the depth, so classifiers with different frozen depths share one cache
 * without mixing their entries.
 */
public final class FrozenLayerCache {

    /** What the cache did since it was made. */
    public record Stats(long hits, long misses, int entries, long bytes, long maxBytes) {

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%d hits, %d misses, %d texts, %.0f of %.0f MiB", hits, misses,
                    entries, bytes / 1048576.0, maxBytes / 1048576.0);
        }
    }

    private static final long ENTRY_OVERHEAD_BYTES = 96; // map node, key record, array headers

    private record Key(int depth, long[] ids) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.depth == depth && Arrays.equals(k.ids, ids);
        }

        @Override
        public int hashCode() {
            return 31 * depth + Arrays.hashCode(ids);
        }
    }

    private final long maxBytes;
    private final LinkedHashMap<Key, float[]> entries = new LinkedHashMap<>(256, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;

    /** @param maxBytes the most the entries may hold, overheads included; positive */
    public FrozenLayerCache(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("cache size must be positive: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** The rows for {@code ids} at {@code depth} frozen layers, or null (counted as a miss). Do not modify them. */
    public synchronized float[] get(int depth, long[] ids) {
        float[] rows = entries.get(new Key(depth, ids));
        if (rows == null) {
            misses++;
        } else {
            hits++;
        }
        return rows;
    }

    /** Remembers {@code rows} (kept, not copied) and evicts the least recently used entries beyond the budget. */
    public synchronized void put(int depth, long[] ids, float[] rows) {
        long size = size(ids, rows);
        if (size > maxBytes) {
            return;
        }
        float[] previous = entries.put(new Key(depth, ids.clone()), rows);
        if (previous != null) {
            bytes -= size(ids, previous);
        }
        bytes += size;
        Iterator<Map.Entry<Key, float[]>> eldest = entries.entrySet().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            Map.Entry<Key, float[]> e = eldest.next();
            bytes -= size(e.getKey().ids(), e.getValue());
            eldest.remove();
        }
    }

    public synchronized Stats stats() {
        return new Stats(hits, misses, entries.size(), bytes, maxBytes);
    }

    private static long size(long[] ids, float[] rows) {
        return (long) rows.length * Float.BYTES + (long) ids.length * Long.BYTES + ENTRY_OVERHEAD_BYTES;
    }
}
