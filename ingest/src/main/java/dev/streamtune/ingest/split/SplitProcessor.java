package dev.streamtune.ingest.split;

import dev.streamtune.ingest.CleanedExample;
import dev.streamtune.ingest.config.IngestSettings;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/** Step 4, split: TRAIN, VALIDATION or TEST from the content hash ({@link SplitAssigner}). */
public final class SplitProcessor implements FixedKeyProcessor<String, CleanedExample, CleanedExample> {

    private final IngestSettings settings;
    private FixedKeyProcessorContext<String, CleanedExample> context;

    public SplitProcessor(IngestSettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, CleanedExample> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, CleanedExample> record) {
        CleanedExample example = record.value();
        IngestSettings.Defaults shares = settings.defaults();
        context.forward(record.withValue(example.withSplit(
                SplitAssigner.assign(example.contentHash(), shares.trainRatio(), shares.validationRatio()))));
    }
}
