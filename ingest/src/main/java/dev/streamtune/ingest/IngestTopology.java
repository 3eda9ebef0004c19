package dev.streamtune.ingest;

import java.util.Map;
import java.util.function.Supplier;

import dev.streamtune.contract.AvroSerde;
import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.contract.Topics;
import dev.streamtune.ingest.clean.CleanProcessor;
import dev.streamtune.ingest.config.CatalogueSync;
import dev.streamtune.ingest.config.IngestSettings;
import dev.streamtune.ingest.config.LiveRulebook;
import dev.streamtune.ingest.dedupe.DedupeProcessor;
import dev.streamtune.ingest.metrics.IngestMetrics;
import dev.streamtune.ingest.split.SplitProcessor;
import dev.streamtune.ingest.validate.ValidateProcessor;
import dev.streamtune.ingest.window.WindowProcessor;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.TrainingWindow;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * The whole ingest pipeline. {@link #build()} reads like the data flow:
 *
 * <pre>
 *  examples.labelled ─┐                                                     ┌─► examples.clean   (key = task)
 *  feedback.events ───┴─► validate ─► clean ─► by-task ─► dedupe ─► split ─► window
 *                            │          │    (repartition)                  └─► windows.closed   (key = task)
 *                            └──────────┴─► dead-letter ─► examples.rejected    (key = original key)
 * </pre>
 *
 * Inputs are read as raw bytes and judged record by record, so no record can fail deserialization and stop the
 * stream. Steps before the repartition can reject; steps after it never do. Each step is a small processor in its
 * own package with its rules in plain, separately tested classes.
 *
 * <p>The per-task rules (labels, state, window, text and PII policies) are those of the task catalogue as it is when
 * a record is processed: every step reads the current snapshot per record, so a task created or a label appended
 * applies from the next record on, with no restart.
 */
public final class IngestTopology {

    /** The internal topic {@code <application.id>-by-task-repartition}. */
    public static final String BY_TASK = "by-task";

    private final IngestSettings settings;
    private final LiveRulebook rules;
    private final IngestMetrics metrics;
    private final CatalogueSync sync;

    /** A topology over a catalogue that is complete as given ({@link CatalogueSync#NONE}). */
    public IngestTopology(IngestSettings settings, Supplier<TaskCatalogue> catalogue, IngestMetrics metrics) {
        this(settings, catalogue, CatalogueSync.NONE, metrics);
    }

    /**
     * @param catalogue the task catalogue as it is now (the follower's {@code current}); read per record
     * @param sync      how to bring that view up to a record's time before rejecting it for an unknown task or label
     */
    public IngestTopology(IngestSettings settings, Supplier<TaskCatalogue> catalogue, CatalogueSync sync,
                          IngestMetrics metrics) {
        this.settings = settings;
        this.rules = new LiveRulebook(catalogue, settings.defaults());
        this.sync = sync;
        this.metrics = metrics;
    }

    public Topology build() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(DedupeProcessor.storeBuilder());
        builder.addStateStore(WindowProcessor.storeBuilder());
        builder.addStateStore(WindowProcessor.tokenStoreBuilder());

        KStream<byte[], byte[]> inputs = builder
                .stream(Topics.LABELLED_EXAMPLES.name(), rawBytes("labelled-in"))
                .merge(builder.stream(Topics.FEEDBACK_EVENTS.name(), rawBytes("feedback-in")), Named.as("inputs"));

        Steps<ValidExample> validated = Steps.split("validate", inputs.processValues(
                () -> new ValidateProcessor(settings, rules, sync, metrics), Named.as("validate")));

        Steps<CleanedExample> cleaned = Steps.split("clean", validated.accepted().processValues(
                () -> new CleanProcessor(rules), Named.as("clean")));

        validated.rejected().merge(cleaned.rejected(), Named.as("rejections"))
                .process(() -> new DeadLetterProcessor(settings.deadLetterMaxBytes(), metrics),
                        Named.as("dead-letter"))
                .to(Topics.REJECTED_RECORDS.name(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName("rejected-out")); // encoded by the dead-letter step, which sizes it

        KStream<String, CleanedExample> byTask = cleaned.accepted()
                .selectKey((originalKey, example) -> example.task(), Named.as("key-by-task"))
                .repartition(Repartitioned.<String, CleanedExample>as(BY_TASK)
                        .withKeySerde(Serdes.String()).withValueSerde(new CleanedExampleSerde()));

        KStream<String, SpecificRecord> windowed = byTask
                .processValues(() -> new DedupeProcessor(settings, metrics), Named.as("dedupe"),
                        DedupeProcessor.STORE)
                .processValues(() -> new SplitProcessor(settings), Named.as("split"))
                .process(() -> new WindowProcessor(settings, rules, metrics), Named.as("window"), WindowProcessor.STORE,
                        WindowProcessor.TOKENS_STORE);

        windowed.split(Named.as("window-"))
                .branch((task, out) -> out instanceof CleanExample, Branched.withConsumer(examples -> examples
                        .mapValues(out -> (CleanExample) out, Named.as("as-clean-example"))
                        .to(Topics.CLEAN_EXAMPLES.name(), Produced.with(Serdes.String(),
                                AvroSerde.of(CleanExample.class)).withName("clean-out")), "examples"))
                .branch((task, out) -> out instanceof TrainingWindow, Branched.withConsumer(manifests -> manifests
                        .mapValues(out -> (TrainingWindow) out, Named.as("as-manifest"))
                        .to(Topics.CLOSED_WINDOWS.name(), Produced.with(Serdes.String(),
                                AvroSerde.of(TrainingWindow.class)).withName("windows-out")), "manifests"))
                .noDefaultBranch();

        return builder.build();
    }

    private static Consumed<byte[], byte[]> rawBytes(String name) {
        return Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(name);
    }

    /** A rejecting step's output, split into what goes on and what goes to the dead-letter topic. */
    private record Steps<T>(KStream<byte[], T> accepted, KStream<byte[], Rejection> rejected) {

        @SuppressWarnings("unchecked")
        static <T> Steps<T> split(String step, KStream<byte[], Outcome<T>> outcomes) {
            Map<String, KStream<byte[], Outcome<T>>> branches = outcomes.split(Named.as(step + "-"))
                    .branch((key, outcome) -> outcome instanceof Outcome.Rejected, Branched.as("rejected"))
                    .defaultBranch(Branched.as("accepted"));
            return new Steps<>(
                    branches.get(step + "-accepted")
                            .mapValues(outcome -> ((Outcome.Accepted<T>) outcome).value(), Named.as(step + "-ok")),
                    branches.get(step + "-rejected")
                            .mapValues(outcome -> ((Outcome.Rejected<T>) outcome).rejection(),
                                    Named.as(step + "-failed")));
        }
    }
}
