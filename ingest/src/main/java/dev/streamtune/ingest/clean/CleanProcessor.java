package dev.streamtune.ingest.clean;

import java.util.function.Supplier;

import dev.streamtune.contract.ReasonCode;
import dev.streamtune.ingest.CleanedExample;
import dev.streamtune.ingest.InvalidRecordException;
import dev.streamtune.ingest.Outcome;
import dev.streamtune.ingest.Rejection;
import dev.streamtune.ingest.ValidExample;
import dev.streamtune.ingest.config.TaskRulebook;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 2, clean: normalised, masked, length-checked (long text cut as the task's current text policy says) and
 * hashed text out, or a rejection naming the task and label.
 */
public final class CleanProcessor implements FixedKeyProcessor<byte[], ValidExample, Outcome<CleanedExample>> {

    private static final Logger LOG = LoggerFactory.getLogger(CleanProcessor.class);

    private final Supplier<TaskRulebook> rulebook;
    private final ExampleCleaner cleaner = new ExampleCleaner();
    private FixedKeyProcessorContext<byte[], Outcome<CleanedExample>> context;

    public CleanProcessor(Supplier<TaskRulebook> rulebook) {
        this.rulebook = rulebook;
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
            outcome = Outcome.accepted(cleaner.clean(example, rulebook.get().rulesOrDefault(example.task())));
        } catch (InvalidRecordException e) {
            outcome = Outcome.rejected(new Rejection(e.code(), e.getMessage(), example.record(), example.task(),
                    example.label()));
        } catch (RuntimeException | StackOverflowError e) {
            LOG.warn("Unexpected failure cleaning {}; dead-lettering it", example.record().coordinates(), e);
            outcome = Outcome.rejected(new Rejection(ReasonCode.UNPROCESSABLE, "cleaning failed: " + e,
                    example.record(), example.task(), example.label()));
        }
        context.forward(record.withValue(outcome));
    }
}
