package dev.streamtune.ingest.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.streamtune.contract.ReasonCode;
import dev.streamtune.ingest.validate.RecordFormat;
import dev.streamtune.schema.WindowCloseReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The counters behind {@code /prometheus}: {@code ingest_records_in_total{topic,format}},
 * {@code ingest_records_out_total{task}}, {@code ingest_records_rejected_total{reason}},
 * {@code ingest_examples_truncated_total{task}}, {@code ingest_duplicates_total{task}}, {@code ingest_feedback_ignored_total{task}} and
 * {@code ingest_windows_closed_total{task,reason}}. Counters are looked up once per tag set, not per record.
 */
public final class MicrometerIngestMetrics implements IngestMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    // The two per-record counters get allocation-free lookups.
    private final Map<String, Counter[]> recordsIn = new ConcurrentHashMap<>();
    private final Map<String, Counter> recordsOut = new ConcurrentHashMap<>();

    public MicrometerIngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (ReasonCode reason : ReasonCode.values()) {
            rejected(reason, 0); // every reason shows up as 0 from the start, so rate() works on the first one
        }
    }

    @Override
    public void recordIn(String topic, RecordFormat format) {
        recordsIn.computeIfAbsent(topic, t -> {
            Counter[] byFormat = new Counter[RecordFormat.values().length];
            for (RecordFormat f : RecordFormat.values()) {
                byFormat[f.ordinal()] = counter("ingest.records.in", "records read from an input topic",
                        "topic", t, "format", f.name().toLowerCase(java.util.Locale.ROOT));
            }
            return byFormat;
        })[format.ordinal()].increment();
    }

    @Override
    public void recordOut(String task) {
        recordsOut.computeIfAbsent(task, t -> counter("ingest.records.out", "examples written to examples.clean",
                "task", t)).increment();
    }

    @Override
    public void truncated(String task) {
        counter("ingest.examples.truncated", "examples written to examples.clean with their text cut to the task's "
                + "text policy", "task", task).increment();
    }

    @Override
    public void rejected(ReasonCode reason) {
        rejected(reason, 1);
    }

    private void rejected(ReasonCode reason, double amount) {
        counter("ingest.records.rejected", "records written to the dead-letter topic", "reason", reason.name())
                .increment(amount);
    }

    @Override
    public void duplicate(String task) {
        counter("ingest.duplicates", "examples dropped as duplicates within the dedupe horizon", "task", task)
                .increment();
    }

    @Override
    public void feedbackIgnored(String task) {
        counter("ingest.feedback.ignored", "feedback events without a correction or an applicable rating rule",
                "task", task).increment();
    }

    @Override
    public void windowClosed(String task, WindowCloseReason reason) {
        counter("ingest.windows.closed", "training windows closed into a manifest", "task", task, "reason",
                reason.name()).increment();
    }

    private Counter counter(String name, String description, String... tags) {
        String key = name + String.join("\u0000", tags);
        Counter counter = counters.get(key);
        if (counter == null) {
            counter = counters.computeIfAbsent(key, k -> Counter.builder(name).description(description).tags(tags)
                    .register(registry));
        }
        return counter;
    }
}
