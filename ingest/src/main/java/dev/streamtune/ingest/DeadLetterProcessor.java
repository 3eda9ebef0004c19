package dev.streamtune.ingest;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;

import dev.streamtune.contract.AvroCodec;
import dev.streamtune.ingest.metrics.IngestMetrics;
import dev.streamtune.schema.RejectedRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The side exit: turns a rejection into the {@code RejectedRecord} written to examples.rejected, with the original
 * key and bytes, the reason, the source offset, and the task and label when they could be read (what open-label
 * counting and dead-letter replay filter on), already encoded so its size is known exactly.
 *
 * <p>A dead letter always fits: its record key plus its value (which carries the original key and value again)
 * stay within {@code dead-letter-max-bytes}, which {@link #requireFits} holds below the producer's
 * {@code max.request.size}. The original value is cut first, then the key, and the reason says what was cut. A dead
 * letter that cannot be written would fail the transaction and stop the stream, which is exactly what dead letters
 * are there to prevent. Headers of the input record are not carried (they may be most of its size).
 */
public final class DeadLetterProcessor implements Processor<byte[], Rejection, byte[], byte[]> {

    /**
     * What the producer adds around a record's key and value when it checks {@code max.request.size}: the batch
     * header (61 bytes) and the record's own framing (at most 21 bytes), with room to spare.
     */
    public static final int RECORD_OVERHEAD_BYTES = 128;
    /** The original key is kept up to this share of the budget; it appears twice (record key and in the value). */
    private static final int KEY_SHARE = 8;
    /** Reasons are ours, but quote input; they stay short. */
    private static final int MAX_REASON_CHARS = 512;

    private static final AvroCodec<RejectedRecord> CODEC = AvroCodec.of(RejectedRecord.class);

    private final int maxBytes;
    private final IngestMetrics metrics;
    private ProcessorContext<byte[], byte[]> context;

    public DeadLetterProcessor(int maxBytes, IngestMetrics metrics) {
        this.maxBytes = maxBytes;
        this.metrics = metrics;
    }

    /**
     * @throws IllegalArgumentException when a dead letter of {@code deadLetterMaxBytes} would not pass the
     *     producer's {@code max.request.size}: the service must not start with limits that stop it later
     */
    public static void requireFits(int deadLetterMaxBytes, int maxRequestSize) {
        if ((long) deadLetterMaxBytes + RECORD_OVERHEAD_BYTES > maxRequestSize) {
            throw new IllegalArgumentException("ingest.dead-letter-max-bytes (" + deadLetterMaxBytes + ") plus "
                    + RECORD_OVERHEAD_BYTES + " bytes of record overhead exceeds the producer's "
                    + ProducerConfig.MAX_REQUEST_SIZE_CONFIG + " (" + maxRequestSize + "): dead letters could not "
                    + "be written");
        }
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], Rejection> record) {
        Rejection rejection = record.value();
        metrics.rejected(rejection.code());
        DeadLetter letter = toDeadLetter(rejection, maxBytes, context.currentSystemTimeMs());
        context.forward(record.withKey(letter.key()).withValue(letter.value()).withHeaders(new RecordHeaders()));
    }

    /** A dead letter as written: the record key (the original key, maybe cut) and the encoded RejectedRecord. */
    public record DeadLetter(byte[] key, byte[] value) {
        public int size() {
            return (key == null ? 0 : key.length) + value.length;
        }
    }

    /** The dead letter for a rejection, within {@code maxBytes} (key plus value). */
    public static DeadLetter toDeadLetter(Rejection rejection, int maxBytes, long now) {
        SourceRecord source = rejection.source();
        byte[] key = source.key();
        byte[] value = source.value();
        String reason = abbreviate(rejection.reason(), MAX_REASON_CHARS);
        StringBuilder cuts = new StringBuilder();
        if (key != null && key.length > maxBytes / KEY_SHARE) {
            cuts.append(" (original key truncated from ").append(key.length).append(" to ")
                    .append(maxBytes / KEY_SHARE).append(" bytes)");
            key = Arrays.copyOf(key, maxBytes / KEY_SHARE);
        }
        byte[] encoded = encode(rejection, key, value, reason + cuts, now);
        int keyLength = key == null ? 0 : key.length;
        if (keyLength + encoded.length > maxBytes && value != null) {
            // Cut the value by the excess; the note about the cut adds a few bytes, so measure again.
            int kept = value.length;
            for (int attempt = 0; attempt < 3 && keyLength + encoded.length > maxBytes; attempt++) {
                kept = Math.max(0, kept - (keyLength + encoded.length - maxBytes));
                encoded = encode(rejection, key, Arrays.copyOf(value, kept), reason + cuts
                        + " (original value truncated from " + value.length + " to " + kept + " bytes)", now);
            }
        }
        if (keyLength + encoded.length > maxBytes) {
            // Only a tiny budget gets here: keep the reason and where the record was, drop the bytes.
            key = null;
            encoded = encode(rejection, null, null, abbreviate(reason, 100) + " (original key and value "
                    + "dropped to fit " + maxBytes + " bytes)", now);
        }
        return new DeadLetter(key, encoded);
    }

    private static byte[] encode(Rejection rejection, byte[] key, byte[] value, String reason, long now) {
        SourceRecord source = rejection.source();
        return CODEC.encode(RejectedRecord.newBuilder()
                .setOriginalKey(key == null ? null : ByteBuffer.wrap(key))
                .setOriginalValue(value == null ? null : ByteBuffer.wrap(value))
                .setReasonCode(rejection.code().name())
                .setReason(reason)
                .setSourceTopic(source.topic())
                .setSourcePartition(source.partition())
                .setSourceOffset(source.offset())
                .setRejectedAt(Instant.ofEpochMilli(now))
                .setTask(rejection.task())
                .setLabel(rejection.label())
                .build());
    }

    private static String abbreviate(String text, int maxChars) {
        String safe = text == null ? "" : text;
        return safe.length() <= maxChars ? safe : safe.substring(0, maxChars - 3) + "...";
    }
}
