/** Feedback on served predictions, completed from memory and validated into FeedbackEvents. */
package dev.streamtune.serving.feedback;
