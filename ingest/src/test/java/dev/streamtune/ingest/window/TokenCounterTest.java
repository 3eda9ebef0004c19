package dev.streamtune.ingest.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TokenCounterTest {

    @Test
    void staysBoundedAndKeepsTheFrequentTokens() {
        TokenCounter counter = new TokenCounter();
        for (int i = 0; i < 20_000; i++) {
            counter.add("the");
            if (i % 2 == 0) {
                counter.add("model");
            }
            counter.add("rare" + i); // a new token every time
            assertTrue(counter.size() <= TokenCounter.CAPACITY);
        }
        Map<String, Long> top = counter.top(2);
        assertEquals(List.of("the", "model"), List.copyOf(top.keySet()));
        assertEquals(20_000L, top.get("the"), "a token that never leaves the table is counted exactly");
        assertEquals(10_000L, top.get("model"));
    }

    @Test
    void tiesAreBrokenByTheTokenSoResultsAreDeterministic() {
        TokenCounter counter = new TokenCounter();
        List.of("b", "a", "c").forEach(counter::add);
        assertEquals(List.of("a", "b"), List.copyOf(counter.top(2).keySet()));
    }
}
