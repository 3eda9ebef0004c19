package dev.streamtune.ingest;

/** A record on its way to the dead-letter topic. */
public record Rejection(ReasonCode code, String reason, SourceRecord source) {
}
