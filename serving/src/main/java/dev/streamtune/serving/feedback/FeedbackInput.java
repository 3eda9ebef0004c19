package dev.streamtune.serving.feedback;

import java.util.Map;

/**
 * Feedback as a caller sends it: the prediction it is about and a correction or a rating. Text, task, predicted
 * label and adapter are only needed when the prediction is no longer (or never was) in this process's memory.
 * Lengths and JSON types were checked when the body was read; the mapper checks what they mean.
 */
public record FeedbackInput(String requestId, String correctedLabel, Long rating, String task, String text,
                            String predictedLabel, String adapterId, Map<String, String> attributes) {
}
