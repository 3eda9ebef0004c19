package dev.streamtune.ingest;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;

import dev.streamtune.ingest.metrics.IngestMetrics;
import dev.streamtune.schema.RejectedRecord;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * The side exit: turns a rejection into the {@code RejectedRecord} written to examples.rejected, with the original
 * key and bytes, the reason and the source offset. A value so large that the dead letter would exceed the broker's
 * message size limit is truncated (the reason says so), because a dead letter that cannot be written would stop
 * the stream, which is exactly what dead letters are there to prevent.
 */
public final class DeadLetterProcessor implements FixedKeyProcessor<byte[], Rejection, RejectedRecord> {

    private final int maxValueBytes;
    private final IngestMetrics metrics;
    private FixedKeyProcessorContext<byte[], RejectedRecord> context;

    public DeadLetterProcessor(int maxValueBytes, IngestMetrics metrics) {
        this.maxValueBytes = maxValueBytes;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], RejectedRecord> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], Rejection> record) {
        Rejection rejection = record.value();
        metrics.rejected(rejection.code());
        context.forward(record.withValue(toRejectedRecord(rejection, maxValueBytes, context.currentSystemTimeMs())));
    }

    static RejectedRecord toRejectedRecord(Rejection rejection, int maxValueBytes, long now) {
        SourceRecord source = rejection.source();
        byte[] value = source.value();
        String reason = rejection.reason();
        if (value != null && value.length > maxValueBytes) {
            reason += " (original value truncated from " + value.length + " to " + maxValueBytes + " bytes)";
            value = Arrays.copyOf(value, maxValueBytes);
        }
        byte[] key = source.key();
        if (key != null && key.length > maxValueBytes / 8) {
            key = Arrays.copyOf(key, maxValueBytes / 8);
        }
        return RejectedRecord.newBuilder()
                .setOriginalKey(key == null ? null : ByteBuffer.wrap(key))
                .setOriginalValue(value == null ? null : ByteBuffer.wrap(value))
                .setReasonCode(rejection.code().name())
                .setReason(reason)
                .setSourceTopic(source.topic())
                .setSourcePartition(source.partition())
                .setSourceOffset(source.offset())
                .setRejectedAt(Instant.ofEpochMilli(now))
                .build();
    }
}
