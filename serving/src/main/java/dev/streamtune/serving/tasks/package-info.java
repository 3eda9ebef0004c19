/**
 * Serving's reading of the task catalogue (kafka-io {@code TaskCatalogueFollower}): which tasks are answered
 * (unknown: 404, retired: 410, paused: still answered), which labels feedback may name, and the task's text policy
 * applied to every predicted text ({@code TextTruncation}, the rule ingest applies to training text).
 */
package dev.streamtune.serving.tasks;
