/**
 * Step 4: TRAIN / VALIDATION / TEST from the content hash, so a text never lands in two splits.
 */
package dev.streamtune.ingest.split;
