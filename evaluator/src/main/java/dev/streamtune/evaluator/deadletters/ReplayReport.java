package dev.streamtune.evaluator.deadletters;

import java.util.Map;

import io.micronaut.serde.annotation.Serdeable;

/**
 * What one replay did.
 *
 * @param task          the task
 * @param reason        the reason code replayed
 * @param replayed      dead letters produced back to their source topic (each dead letter once, ever)
 * @param unreplayable  selected dead letters that could not go back, by why (value cut by ingest to fit, ...)
 * @param accepted      replayed records ingest wrote to examples.clean within the wait
 * @param rejectedAgain replayed records ingest dead-lettered again within the wait, by reason code
 * @param pending       replayed records with no verdict yet (or dropped as duplicates / ignored feedback)
 */
@Serdeable
public record ReplayReport(String task, String reason, int replayed, Map<String, Integer> unreplayable,
                           int accepted, Map<String, Integer> rejectedAgain, int pending) {
}
