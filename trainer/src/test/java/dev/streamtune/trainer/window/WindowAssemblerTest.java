package dev.streamtune.trainer.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.ExampleOrigin;
import dev.streamtune.schema.Split;
import dev.streamtune.schema.TrainingWindow;
import dev.streamtune.schema.WindowCloseReason;
import org.junit.jupiter.api.Test;

class WindowAssemblerTest {

    @Test
    void aWindowIsHandedOverOnceItsManifestAndAllItsExamplesArrived() {
        WindowAssembler assembler = new WindowAssembler();
        assembler.add(manifest("t-000000", 2, 1));
        assembler.add(example("t-000000", 1, Split.TRAIN));
        assembler.add(example("t-000000", 2, Split.TEST));
        assembler.add(example("t-000000", 3, Split.VALIDATION));
        assertTrue(assembler.nextComplete().isEmpty(), "one training example still missing");

        assembler.add(example("t-000000", 4, Split.TRAIN));
        WindowAssembler.Window window = assembler.nextComplete().orElseThrow();
        assertEquals(2, window.train().size());
        assertEquals(1, window.validation().size());
        assertTrue(assembler.nextComplete().isEmpty(), "handed over once");
    }

    @Test
    void examplesMayArriveBeforeTheirManifestAndWindowsCompleteInManifestOrder() {
        WindowAssembler assembler = new WindowAssembler();
        assembler.add(example("t-000001", 1, Split.TRAIN));
        assembler.add(example("t-000000", 2, Split.TRAIN));
        assembler.add(manifest("t-000000", 1, 0));
        assembler.add(manifest("t-000001", 1, 0));
        assertEquals("t-000000", assembler.nextComplete().orElseThrow().manifest().getWindowId());
        assertEquals("t-000001", assembler.nextComplete().orElseThrow().manifest().getWindowId());
    }

    @Test
    void discardedWindowsNeverComplete() {
        WindowAssembler assembler = new WindowAssembler();
        assembler.add(manifest("t-000000", 0, 0));
        assembler.discard("t-000000");
        assertTrue(assembler.nextComplete().isEmpty());
        assertEquals(0, assembler.pendingWindows());
    }

    static TrainingWindow manifest(String id, long train, long validation) {
        return TrainingWindow.newBuilder().setWindowId(id).setTask("t").setSequence(0).setStart(Instant.EPOCH)
                .setEnd(Instant.EPOCH).setClosedAt(Instant.EPOCH).setCloseReason(WindowCloseReason.COUNT)
                .setTrainCount(train).setValidationCount(validation).setTestCount(0).setLabelHistogram(Map.of())
                .setSliceHistogram(Map.of()).setImbalanceRatio(1).setLengthHistogram(List.of())
                .setLengthBucketBounds(List.of()).setMeanLength(0).setTopTokens(Map.of()).build();
    }

    static CleanExample example(String window, int i, Split split) {
        return CleanExample.newBuilder().setId("e" + i).setTask("t").setText("text " + i).setLabel("pos")
                .setSource("s").setOrigin(ExampleOrigin.LABELLED).setEventTime(Instant.EPOCH).setAttributes(Map.of())
                .setWeight(1.0).setSplit(split).setContentHash("h" + i).setWindowId(window).build();
    }
}
