package dev.streamtune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FrozenLayerCacheTest {

    private static final long ENTRY = 10 * Float.BYTES + 2 * Long.BYTES + 96; // what one test entry counts as

    @Test
    void anEntryIsFoundByItsTokensAndDepthOnly() {
        FrozenLayerCache cache = new FrozenLayerCache(1 << 20);
        float[] rows = new float[10];
        cache.put(4, new long[] {101, 102}, rows);
        assertSame(rows, cache.get(4, new long[] {101, 102}), "an equal id array finds it");
        assertNull(cache.get(3, new long[] {101, 102}), "another depth is another entry");
        assertNull(cache.get(4, new long[] {101, 103}));
        FrozenLayerCache.Stats stats = cache.stats();
        assertEquals(1, stats.hits());
        assertEquals(2, stats.misses());
        assertEquals(1, stats.entries());
        assertEquals(ENTRY, stats.bytes());
    }

    @Test
    void theKeyIsCopiedSoTheCallerMayReuseItsArray() {
        FrozenLayerCache cache = new FrozenLayerCache(1 << 20);
        long[] ids = {101, 102};
        cache.put(4, ids, new float[10]);
        ids[1] = 999;
        assertArrayEquals(new float[10], cache.get(4, new long[] {101, 102}));
    }

    @Test
    void theLeastRecentlyUsedGoFirstBeyondTheBudget() {
        FrozenLayerCache cache = new FrozenLayerCache(3 * ENTRY);
        cache.put(4, new long[] {1, 1}, new float[10]);
        cache.put(4, new long[] {2, 2}, new float[10]);
        cache.put(4, new long[] {3, 3}, new float[10]);
        cache.get(4, new long[] {1, 1}); // now the most recently used
        cache.put(4, new long[] {4, 4}, new float[10]);
        assertNull(cache.get(4, new long[] {2, 2}), "the least recently used went");
        for (long kept : new long[] {1, 3, 4}) {
            assertEquals(10, cache.get(4, new long[] {kept, kept}).length);
        }
        assertEquals(3 * ENTRY, cache.stats().bytes());
    }

    @Test
    void replacingAnEntryCountsItsBytesOnce() {
        FrozenLayerCache cache = new FrozenLayerCache(1 << 20);
        cache.put(4, new long[] {1, 1}, new float[10]);
        cache.put(4, new long[] {1, 1}, new float[10]);
        assertEquals(1, cache.stats().entries());
        assertEquals(ENTRY, cache.stats().bytes());
    }

    @Test
    void anEntryLargerThanTheBudgetIsNotKept() {
        FrozenLayerCache cache = new FrozenLayerCache(ENTRY - 1);
        cache.put(4, new long[] {1, 1}, new float[10]);
        assertEquals(0, cache.stats().entries());
        assertThrows(IllegalArgumentException.class, () -> new FrozenLayerCache(0));
    }
}
