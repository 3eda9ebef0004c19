package dev.streamtune.evaluator.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

class BottomKSampleTest {

    private static DriftItem item(int i) {
        return DriftItem.example("hash-" + i, "text " + i, "x", Map.of());
    }

    @Test
    void theSampleDoesNotDependOnArrivalOrderAndCountsAnItemOnce() {
        BottomKSample forward = new BottomKSample(10);
        BottomKSample backward = new BottomKSample(10);
        for (int i = 0; i < 500; i++) {
            forward.add(item(i));
            backward.add(item(499 - i));
        }
        forward.add(forward.items().get(0)); // a sampled item offered again is recognised
        assertEquals(forward.items(), backward.items());
        assertEquals(500, forward.seen());
        assertEquals(10, forward.items().size());
    }

    @Test
    void theSampleOfAUnionIsTheSampleOfThePartsSamples() {
        BottomKSample whole = new BottomKSample(20);
        BottomKSample union = new BottomKSample(20);
        for (int part = 0; part < 5; part++) {
            BottomKSample minute = new BottomKSample(20);
            for (int i = part * 100; i < (part + 1) * 100; i++) {
                whole.add(item(i));
                minute.add(item(i));
            }
            union.addAll(minute);
        }
        assertEquals(whole.items(), union.items());
    }
}
