package dev.streamtune.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import dev.streamtune.schema.ExampleOrigin;
import dev.streamtune.schema.Split;
import org.junit.jupiter.api.Test;

class CleanedExampleSerdeTest {

    private final CleanedExampleSerde serde = new CleanedExampleSerde();

    @Test
    void roundTripsEveryField() {
        CleanedExample example = new CleanedExample("id-1", "sentiment", "Café ☕ \uD83D\uDE00", "positive",
                "feedback:v2", ExampleOrigin.FEEDBACK, -12_345L, Map.of("locale", "fr-FR", "channel", "web"), 0.25,
                "ab".repeat(32), true, null);
        assertEquals(example, serde.deserialize("t", serde.serialize("t", example)));
        CleanedExample withSplit = example.withSplit(Split.VALIDATION);
        assertEquals(withSplit, serde.deserialize("t", serde.serialize("t", withSplit)));
        assertNull(serde.serialize("t", null));
    }

    @Test
    void readsVersionOneRecordsLeftInTheRepartitionTopicAsNotTruncated() {
        CleanedExample example = new CleanedExample("id-1", "sentiment", "text", "positive", "test",
                ExampleOrigin.LABELLED, 1L, Map.of(), 1.0, "ab".repeat(32), true, Split.TRAIN);
        byte[] current = serde.serialize("t", example);
        byte[] versionOne = java.util.Arrays.copyOf(current, current.length - 1); // without the truncated byte
        versionOne[0] = 1;
        CleanedExample read = serde.deserialize("t", versionOne);
        assertEquals(false, read.truncated());
        assertEquals(Split.TRAIN, read.split());
        assertEquals("text", read.text());
    }
}
