/**
 * Annotation requests: served predictions worth a human label, chosen by the model module's
 * {@code dev.streamtune.model.annotation} core within each task's hourly budget, published to
 * {@code annotation.requests} ({@link dev.streamtune.serving.annotation.AnnotationRequester}).
 */
package dev.streamtune.serving.annotation;
