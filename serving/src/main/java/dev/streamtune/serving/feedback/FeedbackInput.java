package dev.streamtune.serving.feedback;

import java.util.Map;

/**
 * Feedback as a caller sends it: the prediction it is about and a correction or a rating. Text, task, predicted
 * label and adapter are only needed when the prediction is no longer (or never was) in this process's memory.
 */
public record FeedbackInput(String requestId, String correctedLabel, Integer rating, String task, String text,
                            String predictedLabel, String adapterId, Map<String, String> attributes) {
}
