/**
 * Step 3: drop content already accepted within the task's dedupe horizon (RocksDB store keyed by content hash).
 */
package dev.streamtune.ingest.dedupe;
