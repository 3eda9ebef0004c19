package dev.streamtune.ingest.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.streamtune.ingest.CleanedExample;
import dev.streamtune.schema.ExampleOrigin;
import dev.streamtune.schema.Split;
import dev.streamtune.schema.TrainingWindow;
import dev.streamtune.schema.WindowCloseReason;
import org.junit.jupiter.api.Test;

class WindowStateTest {

    @Test
    void windowIdsAreZeroPaddedSequences() {
        assertEquals("sentiment-000007", WindowState.windowId("sentiment", 7));
        assertEquals("t-1234567", WindowState.windowId("t", 1_234_567));
    }

    @Test
    void closingYieldsTheManifestAndOpensTheNextWindow() {
        WindowState state = WindowState.first("sentiment");
        state.add(example("good good food", "positive", Split.TRAIN, 100, Map.of("locale", "en")), 5_000);
        state.add(example("bad", "negative", Split.TEST, 50, Map.of("locale", "fr")), 6_000);
        state.add(example("good", "positive", Split.VALIDATION, 70, Map.of()), 7_000);
        assertEquals(5_000, state.openedAt());

        TrainingWindow manifest = state.close(WindowCloseReason.COUNT, 9_000, List.of("negative", "positive"));
        assertEquals("sentiment-000000", manifest.getWindowId());
        assertEquals(1, manifest.getTrainCount());
        assertEquals(1, manifest.getValidationCount());
        assertEquals(1, manifest.getTestCount());
        assertEquals(Map.of("negative", 1L, "positive", 2L), manifest.getLabelHistogram());
        assertEquals(2.0, manifest.getImbalanceRatio());
        assertEquals(50, manifest.getStart().toEpochMilli());
        assertEquals(100, manifest.getEnd().toEpochMilli());
        assertEquals(Map.of("good", 3L, "food", 1L, "bad", 1L), manifest.getTopTokens());
        assertEquals(5.0 / 3, manifest.getMeanLength(), 1e-9);

        assertTrue(state.isEmpty());
        assertEquals(1, state.sequence());
        assertEquals("sentiment-000001", state.windowId());
        assertThrows(IllegalStateException.class, () -> state.close(WindowCloseReason.TIME, 1, List.of()));
    }

    @Test
    void sliceValuesBeyondTheCapFoldIntoOther() {
        WindowState state = WindowState.first("t");
        for (int i = 0; i < WindowState.MAX_SLICE_VALUES + 10; i++) {
            state.add(example("text", "a", Split.TRAIN, 0, Map.of("user", "u" + i)), 0);
        }
        Map<String, Long> users = state.close(WindowCloseReason.COUNT, 0, List.of("a")).getSliceHistogram()
                .get("user");
        assertEquals(WindowState.MAX_SLICE_VALUES + 1, users.size());
        assertEquals(10L, users.get(WindowState.OTHER));
    }

    @Test
    void lengthBucketsHaveInclusiveUpperBounds() {
        assertEquals(0, WindowState.bucketOf(0));
        assertEquals(0, WindowState.bucketOf(8));
        assertEquals(1, WindowState.bucketOf(9));
        assertEquals(6, WindowState.bucketOf(512));
        assertEquals(7, WindowState.bucketOf(513));
    }

    @Test
    void imbalanceCountsAMissingLabelAsOne() {
        assertEquals(7.0, WindowState.imbalanceRatio(Map.of("a", 7L, "b", 0L)));
        assertEquals(1.0, WindowState.imbalanceRatio(Map.of("a", 3L, "b", 3L)));
    }

    @Test
    void stateSurvivesTheStoreRoundTrip() {
        WindowState state = WindowState.first("topic");
        for (int i = 0; i < 300; i++) {
            state.add(example("token" + (i % 150) + " shared words here", i % 3 == 0 ? "world" : "sports",
                    Split.values()[i % 3], i, Map.of("locale", "l" + (i % 4))), 1_000 + i);
        }
        WindowStateSerde serde = new WindowStateSerde();
        WindowState copy = serde.deserialize("t", serde.serialize("t", state));
        assertTrue(TokenSnapshotSerde.restore(copy, new TokenSnapshotSerde().snapshot(state)));
        assertEquals(state.windowId(), copy.windowId());
        assertEquals(state.openedAt(), copy.openedAt());
        List<String> labels = List.of("world", "sports");
        TrainingWindow original = state.close(WindowCloseReason.TIME, 5, labels);
        TrainingWindow restored = copy.close(WindowCloseReason.TIME, 5, labels);
        assertEquals(original, restored);
        assertEquals(new HashMap<>(original.getTopTokens()), new HashMap<>(restored.getTopTokens()));
        assertEquals(copy.windowId(), state.windowId());
    }

    @Test
    void aTokenSnapshotOfAnEarlierWindowIsNotRestored() {
        WindowState state = WindowState.first("t");
        state.add(example("some words", "a", Split.TRAIN, 0, Map.of()), 0);
        byte[] snapshot = new TokenSnapshotSerde().snapshot(state);
        state.close(WindowCloseReason.COUNT, 1, List.of("a"));
        WindowStateSerde serde = new WindowStateSerde();
        WindowState restored = serde.deserialize("t", serde.serialize("t", state));
        assertEquals(false, TokenSnapshotSerde.restore(restored, snapshot));
    }

    static CleanedExample example(String text, String label, Split split, long eventTime,
                                  Map<String, String> attributes) {
        return new CleanedExample("id", "t", text, label, "src", ExampleOrigin.LABELLED, eventTime, attributes, 1.0,
                "00", false, split);
    }
}
