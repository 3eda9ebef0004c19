package dev.streamtune.trainer.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.ExampleOrigin;
import dev.streamtune.schema.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayBufferTest {

    @TempDir
    Path dir;

    @Test
    void capacityIsSharedEvenlySoARareClassKeepsItsSlots() {
        ReplayBuffer buffer = new ReplayBuffer(100, 7);
        for (int i = 0; i < 1000; i++) {
            buffer.offer(example("common " + i, "common"));
        }
        for (int i = 0; i < 60; i++) {
            buffer.offer(example("rare " + i, "rare"));
        }
        assertEquals(Map.of("common", 50, "rare", 50), buffer.sizeByLabel());
    }

    @Test
    void eachLabelIsAUniformSampleOfWhatItWasOffered() {
        ReplayBuffer buffer = new ReplayBuffer(200, 11);
        for (int i = 0; i < 2000; i++) {
            buffer.offer(example("x" + i, "only"));
        }
        long fromFirstHalf = buffer.sample(2000, new Random(1)).stream()
                .filter(e -> Integer.parseInt(e.getText().substring(1)) < 1000).count();
        assertTrue(fromFirstHalf > 800 && fromFirstHalf < 1200, "early and late examples equally likely: " + fromFirstHalf);
    }

    @Test
    void samplingIsClassBalanced() {
        ReplayBuffer buffer = new ReplayBuffer(100, 3);
        for (int i = 0; i < 500; i++) {
            buffer.offer(example("a" + i, "a"));
        }
        buffer.offer(example("b0", "b"));
        long b = buffer.sample(1000, new Random(2)).stream().filter(e -> e.getLabel().equals("b")).count();
        assertTrue(b > 400 && b < 600, "label b drawn half the time though it has one example: " + b);
        assertEquals(List.of(), new ReplayBuffer(5, 1).sample(3, new Random(1)), "empty buffer, empty sample");
    }

    @Test
    void aShareLimitKeepsTheBufferAFractionOfTheStreamAboveAFloorPerLabel() {
        ReplayBuffer buffer = new ReplayBuffer(new ReplayBuffer.Limits(1000, 0.1, 5), 3);
        for (int i = 0; i < 30; i++) {
            buffer.offer(example("a" + i, "a"));
            buffer.offer(example("b" + i, "b"));
        }
        assertEquals(Map.of("a", 5, "b", 5), buffer.sizeByLabel(), "60 seen: the floor, 5 per label, beats 6");
        for (int i = 30; i < 500; i++) {
            buffer.offer(example("a" + i, "a"));
            buffer.offer(example("b" + i, "b"));
        }
        assertEquals(Map.of("a", 50, "b", 50), buffer.sizeByLabel(), "1000 seen: 10%");
        assertEquals(1000, buffer.seen());
        ReplayBuffer capped = new ReplayBuffer(new ReplayBuffer.Limits(40, 0.1, 5), 3);
        for (int i = 0; i < 1000; i++) {
            capped.offer(example("c" + i, "c"));
        }
        assertEquals(40, capped.size(), "never above the capacity");
    }

    @Test
    void limitsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new ReplayBuffer.Limits(0, 0.1, 5));
        assertThrows(IllegalArgumentException.class, () -> new ReplayBuffer.Limits(10, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> new ReplayBuffer.Limits(10, 1.5, 5));
        assertThrows(IllegalArgumentException.class, () -> new ReplayBuffer.Limits(10, 0.5, -1));
    }

    @Test
    void survivesASaveAndLoadExactly() throws Exception {
        ReplayBuffer buffer = new ReplayBuffer(10, 5);
        for (int i = 0; i < 40; i++) {
            buffer.offer(example("t" + i, i % 2 == 0 ? "even" : "odd"));
        }
        Path file = dir.resolve("replay.bin");
        buffer.save(file);
        ReplayBuffer loaded = ReplayBuffer.load(file, 10, 5);
        assertEquals(buffer.sizeByLabel(), loaded.sizeByLabel());
        assertEquals(40, loaded.seen(), "what was seen counts towards a share limit after a restart");
        assertEquals(buffer.sample(20, new Random(9)), loaded.sample(20, new Random(9)));
    }

    static CleanExample example(String text, String label) {
        return CleanExample.newBuilder().setId(text).setTask("t").setText(text).setLabel(label).setSource("s")
                .setOrigin(ExampleOrigin.LABELLED).setEventTime(Instant.EPOCH).setAttributes(Map.of()).setWeight(1.0)
                .setSplit(Split.TRAIN).setContentHash(text).setWindowId("t-000000").build();
    }
}
