package dev.streamtune.evaluator.drift;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A uniform sample of at most {@code k} items: the ones whose key hashes lowest. Unlike a reservoir it needs no
 * random state, so replaying a topic after a restart draws the same sample, the same item added twice counts once,
 * and the bottom-k of a union is the bottom-k of the parts' bottom-k samples (served traffic is kept per minute and
 * any span of minutes can be sampled).
 */
final class BottomKSample {

    private final int k;
    private final TreeMap<Long, DriftItem> items = new TreeMap<>();
    private long seen;

    BottomKSample(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("sample size must be positive");
        }
        this.k = k;
    }

    void add(DriftItem item) {
        long rank = rank(item.key());
        if (items.containsKey(rank)) {
            return;
        }
        seen++;
        if (items.size() < k) {
            items.put(rank, item);
        } else if (rank < items.lastKey()) {
            items.pollLastEntry();
            items.put(rank, item);
        }
    }

    void addAll(BottomKSample other) {
        for (Map.Entry<Long, DriftItem> entry : other.items.entrySet()) {
            add(entry.getValue());
        }
    }

    /** Items in rank order (a fixed pseudo-random order, not arrival order). */
    List<DriftItem> items() {
        return new ArrayList<>(items.values());
    }

    /**
     * Items offered so far, sampled or not. An item offered again is recognised only while it is in the sample
     * (recognising the others would mean remembering every key); ingest de-duplicates examples upstream.
     */
    long seen() {
        return seen;
    }

    /** 64-bit FNV-1a of the key, then a SplitMix64 finaliser so ranks of similar keys are unrelated. */
    static long rank(String key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
