package dev.streamtune.contract;

import java.nio.charset.StandardCharsets;

/**
 * Well-formed UTF-8 only (Unicode 15, table 3-7): no overlong forms (C0 80 for NUL), no encoded surrogates, nothing
 * above U+10FFFF, no truncated sequences. The JDK's {@code new String(bytes, UTF_8)} silently replaces all of these
 * with U+FFFD, and some parsers accept overlong forms, so text that would be read differently by two components
 * (or smuggle a NUL past a check) is refused here first.
 */
public final class StrictUtf8 {

    private StrictUtf8() {
    }

    /** @return the offset of the first byte that does not start or continue a well-formed sequence, or -1 */
    public static int firstMalformed(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int i = offset;
        while (i < end) {
            int b = bytes[i];
            if (b >= 0) { // ASCII, the common case
                i++;
                continue;
            }
            int lead = b & 0xFF;
            int needed;
            int min2 = 0x80;
            int max2 = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF) {
                needed = 1;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                needed = 2;
                if (lead == 0xE0) {
                    min2 = 0xA0; // below is overlong
                } else if (lead == 0xED) {
                    max2 = 0x9F; // above is a surrogate
                }
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                needed = 3;
                if (lead == 0xF0) {
                    min2 = 0x90; // below is overlong
                } else if (lead == 0xF4) {
                    max2 = 0x8F; // above is past U+10FFFF
                }
            } else {
                return i; // a continuation byte without a lead, C0/C1 (always overlong) or F5..FF
            }
            for (int k = 1; k <= needed; k++) {
                if (i + k >= end) {
                    return i;
                }
                int c = bytes[i + k] & 0xFF;
                int lo = k == 1 ? min2 : 0x80;
                int hi = k == 1 ? max2 : 0xBF;
                if (c < lo || c > hi) {
                    return i;
                }
            }
            i += needed + 1;
        }
        return -1;
    }

    public static boolean isWellFormed(byte[] bytes) {
        return firstMalformed(bytes, 0, bytes.length) < 0;
    }

    /**
     * @throws IllegalArgumentException naming the offset of the first malformed sequence
     */
    public static String decode(byte[] bytes, int offset, int length) {
        int bad = firstMalformed(bytes, offset, length);
        if (bad >= 0) {
            throw new IllegalArgumentException("invalid UTF-8 at byte " + (bad - offset) + " of " + length
                    + " (overlong, surrogate, truncated or not UTF-8)");
        }
        return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }
}
