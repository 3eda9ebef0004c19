package dev.streamtune.ingest.clean;

import java.text.Normalizer;

/**
 * Unicode and whitespace normalisation of example text, in one pass:
 * <ul>
 *   <li>NFKC (compatibility composition: full-width letters, ligatures, non-breaking spaces become plain ones);
 *       skipped for pure ASCII, which NFKC leaves unchanged;</li>
 *   <li>control characters and invisible format characters (zero-width space, BOM, direction marks) removed,
 *       except the zero-width (non-)joiners that emoji sequences and some scripts need; lone surrogates removed;</li>
 *   <li>every run of whitespace (including tabs, newlines and line/paragraph separators) becomes one space;
 *       leading and trailing whitespace is dropped.</li>
 * </ul>
 * Case is kept: whether to lower-case is the tokenizer's business.
 */
public final class TextNormaliser {

    private static final int ZERO_WIDTH_NON_JOINER = 0x200C;
    private static final int ZERO_WIDTH_JOINER = 0x200D;

    private TextNormaliser() {
    }

    public static String normalise(String raw) {
        String text = isAscii(raw) ? raw : Normalizer.normalize(raw, Normalizer.Form.NFKC);
        if (isAlreadyClean(text)) {
            return text; // the common case: no allocation
        }
        StringBuilder out = new StringBuilder(text.length());
        boolean pendingSpace = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (isWhitespace(cp)) {
                pendingSpace = out.length() > 0;
            } else if (!isInvisible(cp)) {
                if (pendingSpace) {
                    out.append(' ');
                    pendingSpace = false;
                }
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }

    static boolean isWhitespace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
    }

    private static boolean isInvisible(int cp) {
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.SURROGATE
                || (type == Character.FORMAT && cp != ZERO_WIDTH_JOINER && cp != ZERO_WIDTH_NON_JOINER);
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Printable ASCII or other visible characters, single spaces between words, nothing at the ends. */
    private static boolean isAlreadyClean(String text) {
        int length = text.length();
        if (length == 0) {
            return true;
        }
        if (text.charAt(0) == ' ' || text.charAt(length - 1) == ' ') {
            return false;
        }
        char previous = 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                if (c < 0x20 || c == 0x7F || (c == ' ' && previous == ' ')) {
                    return false;
                }
            } else if (Character.isSurrogate(c) || isWhitespace(c) || isInvisible(c)) {
                return false; // surrogate pairs are checked on the slow path, code point by code point
            }
            previous = c;
        }
        return true;
    }
}
