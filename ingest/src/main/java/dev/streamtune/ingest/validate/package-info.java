/**
 * Step 1: decode (Avro single-object encoding or JSON, sniffed per record), check the rules, turn useful feedback
 * into examples. {@link dev.streamtune.ingest.validate.ExampleValidator} holds the rules.
 */
package dev.streamtune.ingest.validate;
