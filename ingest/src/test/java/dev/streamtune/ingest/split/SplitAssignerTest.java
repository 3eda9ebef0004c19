package dev.streamtune.ingest.split;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumMap;
import java.util.Map;

import dev.streamtune.ingest.clean.ContentHasher;
import dev.streamtune.schema.Split;
import org.junit.jupiter.api.Test;

class SplitAssignerTest {

    private final ContentHasher hasher = new ContentHasher();

    @Test
    void theSameContentAlwaysGetsTheSameSplit() {
        for (int i = 0; i < 1000; i++) {
            String hash = hasher.hash("sentiment", "text " + i);
            assertEquals(SplitAssigner.assign(hash, 0.7, 0.15),
                    SplitAssigner.assign(new ContentHasher().hash("sentiment", "text " + i), 0.7, 0.15));
        }
    }

    @Test
    void sharesFollowTheRatiosOverTenThousandTexts() {
        Map<Split, Integer> counts = new EnumMap<>(Split.class);
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            counts.merge(SplitAssigner.assign(hasher.hash("sentiment", "example number " + i), 0.70, 0.15), 1,
                    Integer::sum);
        }
        // Binomial standard deviation at n = 10 000 is under 0.5 %; allow 1.5 %.
        assertEquals(0.70, counts.get(Split.TRAIN) / (double) n, 0.015);
        assertEquals(0.15, counts.get(Split.VALIDATION) / (double) n, 0.015);
        assertEquals(0.15, counts.get(Split.TEST) / (double) n, 0.015);
    }

    @Test
    void extremeRatiosAreHonoured() {
        String hash = hasher.hash("t", "anything");
        assertEquals(Split.TRAIN, SplitAssigner.assign(hash, 1.0, 0.0));
        assertEquals(Split.VALIDATION, SplitAssigner.assign(hash, 0.0, 1.0));
        assertEquals(Split.TEST, SplitAssigner.assign(hash, 0.0, 0.0));
    }
}
