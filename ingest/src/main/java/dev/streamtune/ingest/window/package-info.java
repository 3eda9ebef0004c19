/**
 * Step 5: per-task training windows closed by count or age into TrainingWindow manifests with the statistics drift
 * monitoring needs.
 */
package dev.streamtune.ingest.window;
