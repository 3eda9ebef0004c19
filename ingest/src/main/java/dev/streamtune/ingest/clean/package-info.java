/**
 * Step 2: Unicode and whitespace normalisation, PII masking, length bounds and the content hash. {@link
 * dev.streamtune.ingest.clean.ExampleCleaner} holds the rules.
 */
package dev.streamtune.ingest.clean;
