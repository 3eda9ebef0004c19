package dev.streamtune.ingest.clean;

import dev.streamtune.ingest.CleanedExample;
import dev.streamtune.ingest.InvalidRecordException;
import dev.streamtune.ingest.Outcome;
import dev.streamtune.ingest.ReasonCode;
import dev.streamtune.ingest.Rejection;
import dev.streamtune.ingest.ValidExample;
import dev.streamtune.ingest.config.IngestSettings;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Step 2, clean: normalised, masked, length-checked and hashed text out, or a rejection. */
public final class CleanProcessor implements FixedKeyProcessor<byte[], ValidExample, Outcome<CleanedExample>> {

    private static final Logger LOG = LoggerFactory.getLogger(CleanProcessor.class);

    private final IngestSettings settings;
    private final ExampleCleaner cleaner = new ExampleCleaner();
    private FixedKeyProcessorContext<byte[], Outcome<CleanedExample>> context;

    public CleanProcessor(IngestSettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], Outcome<CleanedExample>> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], ValidExample> record) {
        ValidExample example = record.value();
        Outcome<CleanedExample> outcome;
        try {
            outcome = Outcome.accepted(cleaner.clean(example, settings.rulesOrDefaults(example.task())));
        } catch (InvalidRecordException e) {
            outcome = Outcome.rejected(new Rejection(e.code(), e.getMessage(), example.record()));
        } catch (RuntimeException | StackOverflowError e) {
            LOG.warn("Unexpected failure cleaning {}; dead-lettering it", example.record().coordinates(), e);
            outcome = Outcome.rejected(new Rejection(ReasonCode.UNPROCESSABLE, "cleaning failed: " + e,
                    example.record()));
        }
        context.forward(record.withValue(outcome));
    }
}
