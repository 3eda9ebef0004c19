package dev.streamtune.contract;

import dev.streamtune.schema.TextOverflow;
import dev.streamtune.schema.TextPolicy;

/**
 * What a task's text policy does to a text longer than its limit: one rule for ingest (examples) and serving
 * (requests), so a model is trained on what it is later asked. Lengths are in Unicode code points, and a cut
 * never splits a surrogate pair.
 */
public final class TextTruncation {

    /** Between the kept head and tail (TRUNCATE_HEAD_TAIL), so a reader of the text sees where it was cut. */
    public static final String MARKER = " … ";

    /**
     * @param text      what to keep (the input itself when nothing was cut)
     * @param truncated whether anything was cut
     * @param rejected  whether the policy rejects the text instead (REJECT and too long); text is the input then
     */
    public record Outcome(String text, boolean truncated, boolean rejected) {
    }

    private TextTruncation() {
    }

    public static Outcome apply(String text, TextPolicy policy) {
        int maxChars = policy.getMaxChars();
        int length = text.codePointCount(0, text.length());
        if (length <= maxChars) {
            return new Outcome(text, false, false);
        }
        return switch (policy.getOverflow()) {
            case REJECT -> new Outcome(text, false, true);
            case TRUNCATE_HEAD -> new Outcome(head(text, maxChars), true, false);
            case TRUNCATE_HEAD_TAIL -> new Outcome(headAndTail(text, length, maxChars), true, false);
        };
    }

    private static String head(String text, int codePoints) {
        return text.substring(0, text.offsetByCodePoints(0, codePoints)).stripTrailing();
    }

    /** Two thirds head, one third tail (the opening usually says what a text is about, the end how it ends). */
    private static String headAndTail(String text, int length, int maxChars) {
        int marker = MARKER.codePointCount(0, MARKER.length());
        if (maxChars <= marker + 2) {
            return head(text, maxChars);
        }
        int budget = maxChars - marker;
        int headPoints = (budget * 2 + 2) / 3;
        int tailPoints = budget - headPoints;
        String tail = text.substring(text.offsetByCodePoints(0, length - tailPoints)).stripLeading();
        return head(text, headPoints) + MARKER + tail;
    }

    /** Whether a policy keeps long text (truncating it) rather than rejecting it. */
    public static boolean keepsLongText(TextPolicy policy) {
        return policy.getOverflow() != TextOverflow.REJECT;
    }
}
