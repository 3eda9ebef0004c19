package dev.streamtune.serving.predict;

import java.util.List;
import java.util.regex.Pattern;

import dev.streamtune.serving.RequestRejectedException;
import dev.streamtune.serving.RequestRejectedException.Reason;

/**
 * What a request may ask for: task names, how many texts and how long, how long an id or a label may be, how many
 * attributes feedback may carry and how long they may be. Every refusal says which field was wrong and what the
 * limit is. The two body shapes ({@link #predictBody()}, {@link #feedbackBody()}) enforce the lengths and types
 * while the JSON is read; the checks here add what the shape cannot say (blank, either-or, control characters).
 */
public final class RequestLimits {

    /** The longest task name; the pattern below says the same. */
    public static final int MAX_TASK_LENGTH = 64;
    private static final Pattern TASK = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final int maxTexts;
    private final int maxTextLength;
    private final int maxIdLength;
    private final JsonBodySchema predictBody;
    private final JsonBodySchema feedbackBody;

    /**
     * @param maxTexts           texts one predict call may carry
     * @param maxTextLength      characters one text may have
     * @param maxIdLength        characters of a request id, an adapter id or a label
     * @param maxAttributes      attributes one feedback may carry
     * @param maxAttributeLength characters of an attribute's key, and of its value
     */
    public RequestLimits(int maxTexts, int maxTextLength, int maxIdLength, int maxAttributes, int maxAttributeLength) {
        if (maxTexts < 1 || maxTextLength < 1 || maxIdLength < 1 || maxAttributes < 0 || maxAttributeLength < 1) {
            throw new IllegalArgumentException("request limits must be positive");
        }
        this.maxTexts = maxTexts;
        this.maxTextLength = maxTextLength;
        this.maxIdLength = maxIdLength;
        this.predictBody = JsonBodySchema.builder()
                .text("text", maxTextLength)
                .texts("texts", maxTexts, maxTextLength)
                .text("routingKey", maxIdLength)
                .textMap("attributes", maxAttributes, maxAttributeLength)
                .build();
        this.feedbackBody = JsonBodySchema.builder()
                .text("requestId", maxIdLength)
                .text("correctedLabel", maxIdLength)
                .wholeNumber("rating")
                .text("task", MAX_TASK_LENGTH)
                .text("text", maxTextLength)
                .text("predictedLabel", maxIdLength)
                .text("adapterId", maxIdLength)
                .textMap("attributes", maxAttributes, maxAttributeLength)
                .build();
    }

    public int maxTexts() {
        return maxTexts;
    }

    public int maxTextLength() {
        return maxTextLength;
    }

    /** {@code {"text": "..."}} or {@code {"texts": ["...", ...]}}. */
    public JsonBodySchema predictBody() {
        return predictBody;
    }

    /** requestId, correctedLabel, rating, task, text, predictedLabel, adapterId, attributes. */
    public JsonBodySchema feedbackBody() {
        return feedbackBody;
    }

    public static String task(String task) {
        if (task == null || !TASK.matcher(task).matches()) {
            throw new RequestRejectedException(Reason.MALFORMED, "Task names are 1 to " + MAX_TASK_LENGTH
                    + " letters, digits, '.', '_' or '-', starting with a letter or digit; got '"
                    + (task != null && task.length() > MAX_TASK_LENGTH ? task.substring(0, MAX_TASK_LENGTH) + "..."
                    : task) + "'");
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

    /**
     * An id or a label (null when absent): not longer than the limit and free of control characters, since it is
     * echoed in answers, logs and the training data.
     */
    public String identifier(String field, String value) {
        if (value == null) {
            return null;
        }
        if (value.length() > maxIdLength) {
            throw new RequestRejectedException(Reason.TOO_LARGE, "\"" + field + "\" has " + value.length()
                    + " characters; the limit is " + maxIdLength);
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new RequestRejectedException(Reason.MALFORMED, "\"" + field + "\" contains a control character");
        }
        return value;
    }
}
