package dev.streamtune.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class StrictUtf8Test {

    @Test
    void acceptsAsciiAndEveryWellFormedLength() {
        String text = "plain, café, ☕, 𝄞 and \u0000 itself";
        assertEquals(text, StrictUtf8.decode(text.getBytes(StandardCharsets.UTF_8), 0,
                text.getBytes(StandardCharsets.UTF_8).length));
    }

    @Test
    void refusesOverlongForms() {
        assertFalse(StrictUtf8.isWellFormed(bytes(0xC0, 0x80))); // NUL in two bytes
        assertFalse(StrictUtf8.isWellFormed(bytes(0xC1, 0xBF)));
        assertFalse(StrictUtf8.isWellFormed(bytes(0xE0, 0x80, 0xAF))); // '/' in three bytes
        assertFalse(StrictUtf8.isWellFormed(bytes(0xF0, 0x80, 0x80, 0xAF)));
    }

    @Test
    void refusesSurrogatesBeyondUnicodeAndTruncation() {
        assertFalse(StrictUtf8.isWellFormed(bytes(0xED, 0xA0, 0x80))); // U+D800
        assertFalse(StrictUtf8.isWellFormed(bytes(0xF4, 0x90, 0x80, 0x80))); // U+110000
        assertFalse(StrictUtf8.isWellFormed(bytes(0xF5, 0x80, 0x80, 0x80)));
        assertFalse(StrictUtf8.isWellFormed(bytes('a', 0xE2, 0x98))); // ☕ cut short
        assertFalse(StrictUtf8.isWellFormed(bytes(0x80)));
        assertTrue(StrictUtf8.isWellFormed(bytes(0xF4, 0x8F, 0xBF, 0xBF))); // U+10FFFF
    }

    @Test
    void reasonNamesTheOffset() {
        var error = assertThrows(IllegalArgumentException.class, () -> StrictUtf8.decode(bytes('o', 'k', 0xC0, 0x80), 0, 4));
        assertTrue(error.getMessage().contains("at byte 2"), error.getMessage());
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}
