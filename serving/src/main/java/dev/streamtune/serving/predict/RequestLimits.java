package dev.streamtune.serving.predict;

import java.util.List;
import java.util.regex.Pattern;

import dev.streamtune.serving.RequestRejectedException;
import dev.streamtune.serving.RequestRejectedException.Reason;

/**
 * What a request may ask for: task names, how many texts and how long. Every refusal says what was wrong and
 * what the limit is.
 */
public final class RequestLimits {

    private static final Pattern TASK = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final int maxTexts;
    private final int maxTextLength;

    public RequestLimits(int maxTexts, int maxTextLength) {
        this.maxTexts = maxTexts;
        this.maxTextLength = maxTextLength;
    }

    public int maxTexts() {
        return maxTexts;
    }

    public int maxTextLength() {
        return maxTextLength;
    }

    public static String task(String task) {
        if (task == null || !TASK.matcher(task).matches()) {
            throw new RequestRejectedException(Reason.MALFORMED, "Task names are 1 to 64 letters, digits, '.', '_' "
                    + "or '-', starting with a letter or digit; got '" + task + "'");
        }
        return task;
    }

    /** The texts of a predict body that holds either {@code text} or {@code texts}. */
    public List<String> texts(String text, List<String> texts) {
        if (text != null && texts != null) {
            throw new RequestRejectedException(Reason.INVALID, "Give either \"text\" or \"texts\", not both");
        }
        if (text == null && texts == null) {
            throw new RequestRejectedException(Reason.INVALID,
                    "The body needs \"text\" (one string) or \"texts\" (an array of strings)");
        }
        if (text != null) {
            return List.of(text("text", text));
        }
        if (texts.isEmpty()) {
            throw new RequestRejectedException(Reason.INVALID, "\"texts\" is empty; give at least one text");
        }
        if (texts.size() > maxTexts) {
            throw new RequestRejectedException(Reason.TOO_LARGE, "\"texts\" holds " + texts.size()
                    + " texts; at most " + maxTexts + " per request");
        }
        for (int i = 0; i < texts.size(); i++) {
            text("texts[" + i + "]", texts.get(i));
        }
        return List.copyOf(texts);
    }

    /** One text: present, not blank, not longer than the limit. */
    public String text(String field, String text) {
        if (text == null) {
            throw new RequestRejectedException(Reason.INVALID, "\"" + field + "\" is null");
        }
        if (text.isBlank()) {
            throw new RequestRejectedException(Reason.INVALID, "\"" + field + "\" is blank");
        }
        if (text.length() > maxTextLength) {
            throw new RequestRejectedException(Reason.TOO_LARGE, "\"" + field + "\" has " + text.length()
                    + " characters; the limit is " + maxTextLength);
        }
        return text;
    }
}
