package dev.streamtune.ingest.metrics;

import dev.streamtune.contract.ReasonCode;
import dev.streamtune.ingest.validate.RecordFormat;
import dev.streamtune.schema.WindowCloseReason;

/**
 * What the steps count. Counters are process-local: after a crash, records re-processed under exactly-once are
 * counted again, so they are for dashboards, not for accounting (the topics are the accounts).
 */
public interface IngestMetrics {

    /** A record read from an input topic. */
    void recordIn(String topic, RecordFormat format);

    /** An example written to examples.clean. */
    void recordOut(String task);

    /** An example written to examples.clean with its text cut to the task's text policy. */
    void truncated(String task);

    /** A record written to the dead-letter topic. */
    void rejected(ReasonCode reason);

    /** An example dropped because its content was already accepted within the dedupe horizon. */
    void duplicate(String task);

    /** Valid feedback that teaches nothing (no correction, no rating rule applies). */
    void feedbackIgnored(String task);

    /** A window closed into a manifest on windows.closed. */
    void windowClosed(String task, WindowCloseReason reason);

    static IngestMetrics none() {
        return new IngestMetrics() {
            @Override
            public void recordIn(String topic, RecordFormat format) {
            }

            @Override
            public void recordOut(String task) {
            }

            @Override
            public void truncated(String task) {
            }

            @Override
            public void rejected(ReasonCode reason) {
            }

            @Override
            public void duplicate(String task) {
            }

            @Override
            public void feedbackIgnored(String task) {
            }

            @Override
            public void windowClosed(String task, WindowCloseReason reason) {
            }
        };
    }
}
