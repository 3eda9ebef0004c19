package dev.streamtune.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import dev.streamtune.contract.AvroCodec;
import dev.streamtune.contract.Topics;
import dev.streamtune.ingest.config.IngestConfig;
import dev.streamtune.ingest.config.StreamsProperties;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.schema.RejectedRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void kafkaStreamsCallsItForAStepThatThrowsAndTheNextRecordStillFlows(@TempDir Path stateDir) {
        IngestConfig config = new IngestConfig("handler-test", stateDir.toString(), Duration.ofSeconds(1), 1, 1,
                Duration.ofSeconds(1), Duration.ofMinutes(10), 4096, 100_000, null, null);
        Properties props = StreamsProperties.from(config, KafkaConnection.plaintext("unused:9092"));
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .mapValues(value -> {
                    if (value[0] == 'x') {
                        throw new IllegalStateException("a bug no rule foresaw");
                    }
                    return value;
                })
                .to("out", Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
            TestInputTopic<byte[], byte[]> in = driver.createInputTopic("in", new ByteArraySerializer(),
                    new ByteArraySerializer());
            in.pipeInput(Inputs.utf8("k1"), Inputs.utf8("xyz"));
            in.pipeInput(Inputs.utf8("k2"), Inputs.utf8("fine"));

            assertEquals(List.of("fine"), driver.createOutputTopic("out", new ByteArrayDeserializer(),
                    new ByteArrayDeserializer()).readValuesToList().stream().map(String::new).toList());
            List<byte[]> letters = driver.createOutputTopic(Topics.REJECTED_RECORDS.name(),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer()).readValuesToList();
            assertEquals(1, letters.size());
            RejectedRecord letter = AvroCodec.of(RejectedRecord.class).decode(letters.get(0));
            assertEquals("UNPROCESSABLE", letter.getReasonCode());
            assertTrue(letter.getReason().contains("a bug no rule foresaw"), letter.getReason());
            assertEquals("in", letter.getSourceTopic());
            assertArrayEquals(Inputs.utf8("xyz"), letter.getOriginalValue().array(), "the source bytes, as read");
        }
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
