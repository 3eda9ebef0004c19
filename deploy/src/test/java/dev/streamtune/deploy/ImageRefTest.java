package dev.streamtune.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageRefTest {

    @Test
    void pinnedMeansATagOtherThanLatestOrADigest() {
        assertTrue(ImageRef.parse("apache/kafka:4.3.1").isPinned());
        assertTrue(ImageRef.parse("nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04").isPinned());
        assertTrue(ImageRef.parse("busybox@sha256:0123abcd").isPinned());
        assertFalse(ImageRef.parse("apache/kafka").isPinned());
        assertFalse(ImageRef.parse("apache/kafka:latest").isPinned());
        assertFalse(ImageRef.parse("${KAFKA_IMAGE}").isPinned());
    }

    @Test
    void aRegistryPortIsNotATag() {
        ImageRef ref = ImageRef.parse("registry.local:5000/streamtune");
        assertEquals("registry.local:5000/streamtune", ref.repository());
        assertFalse(ref.isPinned());
        ImageRef tagged = ImageRef.parse("registry.local:5000/streamtune:0.1.0");
        assertEquals("registry.local:5000/streamtune", tagged.repository());
        assertEquals("0.1.0", tagged.tag());
    }

    @Test
    void memorySizes() {
        assertEquals(768L << 20, MemorySize.jvm("768m"));
        assertEquals(3L << 30, MemorySize.jvm("3g"));
        assertEquals(1536L << 20, MemorySize.kubernetes("1536Mi"));
        assertEquals(6L << 30, MemorySize.kubernetes("6Gi"));
        assertEquals(2_000_000_000L, MemorySize.kubernetes("2G"));
    }
}
