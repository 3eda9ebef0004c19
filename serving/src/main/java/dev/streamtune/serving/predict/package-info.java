/**
 * Predictions: request limits, dynamic micro-batching per task, and what every answer feeds (recent predictions
 * for feedback, the prediction log topic).
 */
package dev.streamtune.serving.predict;
