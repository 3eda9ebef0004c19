/**
 * What the steps count, and its Micrometer implementation behind {@code /prometheus}.
 */
package dev.streamtune.ingest.metrics;
