package dev.streamtune.ingest.config;

import java.time.Duration;
import java.time.Instant;

/**
 * Read-your-writes for the task catalogue: before ingest dead-letters a record for a task or label its catalogue
 * view does not have, it makes sure that view holds every definition written before the record was. Without it, an
 * operator who appends a label and then sends its examples would see the first of them rejected as UNKNOWN_LABEL
 * while ingest's follower had not yet read the change ({@code TaskCatalogueFollower#awaitReadAsOf} in service).
 */
@FunctionalInterface
public interface CatalogueSync {

    /** For a catalogue that is complete by construction (tests, benchmarks of the topology alone). */
    CatalogueSync NONE = (moment, timeout) -> true;

    /** Waits until every definition written before {@code moment} is in the view; false on timeout. */
    boolean awaitReadAsOf(Instant moment, Duration timeout) throws InterruptedException;
}
