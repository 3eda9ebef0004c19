package dev.streamtune.ingest.validate;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import dev.streamtune.contract.ReasonCode;
import dev.streamtune.ingest.InvalidRecordException;
import dev.streamtune.ingest.Outcome;
import dev.streamtune.ingest.Rejection;
import dev.streamtune.ingest.SourceRecord;
import dev.streamtune.ingest.ValidExample;
import dev.streamtune.ingest.config.CatalogueSync;
import dev.streamtune.ingest.config.IngestSettings;
import dev.streamtune.ingest.config.TaskRulebook;
import dev.streamtune.ingest.metrics.IngestMetrics;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 1, validate: raw input bytes in, an admitted example or a rejection out. Feedback that teaches nothing is
 * dropped here (and counted). Nothing a record contains can make this step throw: a poison record becomes a
 * dead letter. Input headers are dropped here: they are not ours to carry, and a record that is mostly headers
 * would otherwise make its outputs too large to write. ({@code OutOfMemoryError} is not caught: decoding is
 * bounded by the record's size so that it cannot happen, and a JVM that ran out of memory should not go on.)
 */
public final class ValidateProcessor implements FixedKeyProcessor<byte[], byte[], Outcome<ValidExample>> {

    private static final Logger LOG = LoggerFactory.getLogger(ValidateProcessor.class);

    /** How long a record of an unknown task or label waits for the catalogue to catch up to it. */
    static final Duration CATALOGUE_SYNC_WAIT = Duration.ofSeconds(2);

    private final ExampleValidator validator;
    private final CatalogueSync sync;
    private final IngestMetrics metrics;
    private FixedKeyProcessorContext<byte[], Outcome<ValidExample>> context;

    public ValidateProcessor(IngestSettings settings, Supplier<TaskRulebook> rulebook, CatalogueSync sync,
                             IngestMetrics metrics) {
        this.validator = new ExampleValidator(settings, rulebook);
        this.sync = sync;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], Outcome<ValidExample>> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], byte[]> record) {
        RecordMetadata metadata = context.recordMetadata().orElseThrow();
        SourceRecord source = new SourceRecord(metadata.topic(), metadata.partition(), metadata.offset(),
                record.timestamp(), record.key(), record.value());
        metrics.recordIn(source.topic(), RecordFormat.of(source.value()));
        Outcome<ValidExample> outcome;
        try {
            Admission admission = validate(source);
            if (admission instanceof Admission.Ignored ignored) {
                metrics.feedbackIgnored(ignored.task());
                return;
            }
            outcome = Outcome.accepted(((Admission.Admitted) admission).example());
        } catch (InvalidRecordException e) {
            outcome = Outcome.rejected(new Rejection(e.code(), e.getMessage(), source, e.task(), e.label()));
        } catch (RuntimeException | StackOverflowError e) {
            // A rule we did not foresee: still this record's problem, never the stream's.
            LOG.warn("Unexpected failure validating {}; dead-lettering it", source.coordinates(), e);
            outcome = Outcome.rejected(new Rejection(ReasonCode.UNPROCESSABLE, "validation failed: " + e, source));
        }
        context.forward(record.withValue(outcome).withHeaders(new RecordHeaders()));
    }

    /**
     * The validator's verdict, given once more after the catalogue has caught up to the record's time when the
     * first one was an unknown task or label: the change that defines it may have been written just before.
     */
    private Admission validate(SourceRecord source) {
        try {
            return validator.validate(source, context.currentSystemTimeMs());
        } catch (InvalidRecordException e) {
            if (e.code() != ReasonCode.UNKNOWN_TASK && e.code() != ReasonCode.UNKNOWN_LABEL) {
                throw e;
            }
            try {
                if (!sync.awaitReadAsOf(Instant.ofEpochMilli(source.timestamp()), CATALOGUE_SYNC_WAIT)) {
                    LOG.warn("The task catalogue did not catch up within {} to judge {}; judging it as it is",
                            CATALOGUE_SYNC_WAIT, source.coordinates());
                    throw e;
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw e;
            }
            return validator.validate(source, context.currentSystemTimeMs());
        }
    }
}
