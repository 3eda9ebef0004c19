/**
 * The HTTP edge: controllers that translate JSON to calls on the core classes and back, one error shape
 * ({@link dev.streamtune.serving.api.ApiError}) for every refusal, and the dashboard page.
 */
package dev.streamtune.serving.api;
