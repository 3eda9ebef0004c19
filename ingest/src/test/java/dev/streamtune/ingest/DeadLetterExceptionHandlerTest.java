package dev.streamtune.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import dev.streamtune.contract.AvroCodec;
import dev.streamtune.contract.Topics;
import dev.streamtune.schema.RejectedRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class DeadLetterExceptionHandlerTest {

    private final DeadLetterExceptionHandler handler = configured(4096);

    @Test
    void aStepThatThrowsAnywayDeadLettersTheSourceRecordAndResumes() {
        ProcessingExceptionHandler.Response response = handler.handleError(context(Inputs.utf8("k"),
                Inputs.utf8("{\"odd\":1}")), new Record<>("k", "v", 1L), new IllegalStateException("bug"));

        assertEquals(ProcessingExceptionHandler.Result.RESUME, response.result());
        ProducerRecord<byte[], byte[]> letter = response.deadLetterQueueRecords().get(0);
        assertEquals(Topics.REJECTED_RECORDS.name(), letter.topic());
        RejectedRecord rejected = AvroCodec.of(RejectedRecord.class).decode(letter.value());
        assertEquals("UNPROCESSABLE", rejected.getReasonCode());
        assertTrue(rejected.getReason().contains("step validate failed: java.lang.IllegalStateException: bug"),
                rejected.getReason());
        assertArrayEquals(Inputs.utf8("{\"odd\":1}"), rejected.getOriginalValue().array());
        assertEquals(41L, rejected.getSourceOffset());
    }

    @Test
    void anOutputTooLargeToWriteBecomesADeadLetterWithinTheBudget() {
        byte[] big = new byte[100_000];
        ProductionExceptionHandler.Response response = handler.handleError(context(new byte[50_000], big),
                new ProducerRecord<>("examples.clean", big, big), new RecordTooLargeException("too big"));

        assertEquals(ProductionExceptionHandler.Result.RESUME, response.result());
        ProducerRecord<byte[], byte[]> letter = response.deadLetterQueueRecords().get(0);
        assertTrue(letter.key().length + letter.value().length <= 4096);
    }

    @Test
    void failuresOfTheClusterStillFail() {
        ProductionExceptionHandler.Response response = handler.handleError(context(null, null),
                new ProducerRecord<>("examples.clean", new byte[1], new byte[1]), new TimeoutException("slow"));
        assertEquals(ProductionExceptionHandler.Result.FAIL, response.result());
    }

    private static DeadLetterExceptionHandler configured(int maxBytes) {
        DeadLetterExceptionHandler handler = new DeadLetterExceptionHandler();
        handler.configure(Map.of(DeadLetterExceptionHandler.MAX_BYTES_CONFIG, Integer.toString(maxBytes)));
        return handler;
    }

    private static ErrorHandlerContext context(byte[] key, byte[] value) {
        return new ErrorHandlerContext() {
            @Override public String topic() { return Topics.LABELLED_EXAMPLES.name(); }
            @Override public int partition() { return 2; }
            @Override public long offset() { return 41L; }
            @Override public Headers headers() { return new RecordHeaders(); }
            @Override public String processorNodeId() { return "validate"; }
            @Override public TaskId taskId() { return new TaskId(0, 2); }
            @Override public long timestamp() { return 1L; }
            @Override public byte[] sourceRawKey() { return key; }
            @Override public byte[] sourceRawValue() { return value; }
        };
    }
}
