package dev.streamtune.ingest;

import java.util.List;
import java.util.Map;

import dev.streamtune.contract.ReasonCode;
import dev.streamtune.contract.Topics;
import dev.streamtune.ingest.config.IngestSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last line of defence behind the steps' own per-record handling: Kafka Streams calls this when a processor
 * throws anyway, when a record cannot be deserialized, or when an output cannot be written because of the record
 * itself (too large, unserializable). Each time the source record becomes an {@code UNPROCESSABLE} dead letter
 * (sized like every other, see {@link DeadLetterProcessor}) and the stream resumes, instead of the default: fail,
 * shut the client down, and meet the same record again after every restart.
 *
 * <p>Failures that are not about the record (the broker, fencing, timeouts) still fail: Kafka Streams retries or
 * rebalances those itself. Configured by class name in {@code StreamsProperties}; {@link #MAX_BYTES_CONFIG} passes
 * the dead-letter size limit in.
 */
public final class DeadLetterExceptionHandler
        implements ProcessingExceptionHandler, ProductionExceptionHandler, DeserializationExceptionHandler {

    /** Streams property through which the handler learns {@code ingest.dead-letter-max-bytes}. */
    public static final String MAX_BYTES_CONFIG = "streamtune.dead-letter-max-bytes";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterExceptionHandler.class);

    private int maxBytes = IngestSettings.DEFAULT_DEAD_LETTER_MAX_BYTES;

    @Override
    public void configure(Map<String, ?> configs) {
        Object configured = configs.get(MAX_BYTES_CONFIG);
        if (configured != null) {
            maxBytes = Integer.parseInt(configured.toString());
        }
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record,
                                                           Exception exception) {
        LOG.warn("Step {} failed on {}/{}/{}; dead-lettering the record", context.processorNodeId(),
                context.topic(), context.partition(), context.offset(), exception);
        return ProcessingExceptionHandler.Response.resume(deadLetter(context,
                "step " + context.processorNodeId() + " failed: " + exception));
    }

    @Override
    public ProductionExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                           ProducerRecord<byte[], byte[]> record,
                                                           Exception exception) {
        if (!isAboutTheRecord(exception)) {
            return ProductionExceptionHandler.Response.fail();
        }
        LOG.warn("Output to {} from {}/{}/{} cannot be written; dead-lettering the source record", record.topic(),
                context.topic(), context.partition(), context.offset(), exception);
        return ProductionExceptionHandler.Response.resume(deadLetter(context,
                "output to " + record.topic() + " could not be written: " + exception));
    }

    @Override
    public ProductionExceptionHandler.Response handleSerializationError(ErrorHandlerContext context,
            ProducerRecord record, Exception exception, SerializationExceptionOrigin origin) {
        LOG.warn("Output to {} from {}/{}/{} cannot be serialized; dead-lettering the source record",
                record.topic(), context.topic(), context.partition(), context.offset(), exception);
        return ProductionExceptionHandler.Response.resume(deadLetter(context,
                "output to " + record.topic() + " could not be serialized: " + exception));
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                                ConsumerRecord<byte[], byte[]> record,
                                                                Exception exception) {
        LOG.warn("Record {}/{}/{} cannot be deserialized; dead-lettering it", record.topic(), record.partition(),
                record.offset(), exception);
        SourceRecord source = new SourceRecord(record.topic(), record.partition(), record.offset(),
                record.timestamp(), record.key(), record.value());
        return DeserializationExceptionHandler.Response.resume(List.of(producerRecord(source,
                "not deserializable: " + exception)));
    }

    private List<ProducerRecord<byte[], byte[]>> deadLetter(ErrorHandlerContext context, String reason) {
        // A punctuation (the window-age check) has no source record.
        String topic = context.topic() == null ? "(punctuation " + context.processorNodeId() + ")" : context.topic();
        SourceRecord source = new SourceRecord(topic, context.partition(), context.offset(),
                context.timestamp(), context.sourceRawKey(), context.sourceRawValue());
        return List.of(producerRecord(source, reason));
    }

    private ProducerRecord<byte[], byte[]> producerRecord(SourceRecord source, String reason) {
        DeadLetterProcessor.DeadLetter letter = DeadLetterProcessor.toDeadLetter(
                new Rejection(ReasonCode.UNPROCESSABLE, reason, source), maxBytes, System.currentTimeMillis());
        return new ProducerRecord<>(Topics.REJECTED_RECORDS.name(), letter.key(), letter.value());
    }

    /** Exceptions that mean "this record", as opposed to the cluster: serialization is one of them. */
    static boolean isAboutTheRecord(Exception exception) {
        return exception instanceof RecordTooLargeException || exception instanceof SerializationException;
    }
}
