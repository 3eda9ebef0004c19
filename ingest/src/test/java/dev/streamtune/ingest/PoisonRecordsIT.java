package dev.streamtune.ingest;

import static dev.streamtune.ingest.Inputs.json;
import static dev.streamtune.ingest.Inputs.labelledJson;
import static dev.streamtune.ingest.Inputs.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.streamtune.contract.AvroCodec;
import dev.streamtune.contract.LocalSigningKeys;
import dev.streamtune.contract.Topics;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.RejectedRecord;
import dev.streamtune.testsupport.KafkaBroker;
import dev.streamtune.testsupport.WithKafka;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probes' poison records on the real broker, one after another, then valid records: each poison record is
 * dead-lettered with its reason in a dead letter that fits the producer's limit, the valid records come through,
 * and ingest is still RUNNING. Before the decoder was bounded, the first record (18 bytes declaring a 2-billion-byte
 * string) was an OutOfMemoryError that stopped ingest for good.
 */
@WithKafka
class PoisonRecordsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int DEAD_LETTER_MAX_BYTES = 900_000;

    @TempDir
    Path stateDir;
    @TempDir
    Path keysDir;

    @Test
    void everyPoisonRecordIsDeadLetteredWithItsReasonAndTheStreamGoesOn(KafkaBroker broker) throws Exception {
        String run = "poison" + UUID.randomUUID().toString().substring(0, 8);
        String task = run;
        String labelled = Topics.LABELLED_EXAMPLES.name();
        String feedback = Topics.FEEDBACK_EVENTS.name();
        long now = System.currentTimeMillis();

        // key prefix -> (topic, value, expected reason code); every key starts with "<run>-pNN-".
        Map<String, Object[]> poison = new LinkedHashMap<>();
        poison.put("p01", new Object[] {labelled, Inputs.avroDeclaringTwoBillionByteString(false), "MALFORMED",
                "declares 2000000000 bytes"});
        poison.put("p02", new Object[] {feedback, Inputs.avroDeclaringTwoBillionByteString(true), "MALFORMED",
                "declares 2000000000 bytes"});
        poison.put("p03", new Object[] {labelled, Inputs.avroWithTrailingGarbage(run + "-p03", task, "fine text",
                now), "MALFORMED", "trailing bytes"});
        poison.put("p04", new Object[] {labelled, labelledJson(run + "-p04", task, "v".repeat(600_000), "positive"),
                "TEXT_TOO_LONG", "key truncated"});
        poison.put("p05", new Object[] {labelled, labelledJson(run + "-p05", task, "\u0000".repeat(40), "positive"),
                "TEXT_TOO_SHORT", "nothing is left"});
        poison.put("p06", new Object[] {labelled, Inputs.concat(utf8("{\"task\":\"" + task + "\",\"text\":\"over"),
                new byte[] {(byte) 0xC0, (byte) 0xAF}, utf8("long\",\"label\":\"positive\"}")), "MALFORMED",
                "invalid UTF-8"});
        poison.put("p07", new Object[] {labelled, json("task", task, "text", "fine text", "label", "positive",
                "eventTime", BigInteger.ONE.shiftLeft(64).add(BigInteger.valueOf(now))), "INVALID_FIELD",
                "out of range"});
        poison.put("p08", new Object[] {labelled, json("task", task, "text", 12345, "label", "positive"),
                "INVALID_FIELD", "must be a string"});
        poison.put("p09", new Object[] {labelled, json("task", task, "text", "fine text", "label", "positive",
                "attributes", Map.of("note", "n".repeat(900_000))), "INVALID_FIELD", "size limit"});

        LocalSigningKeys keys = IngestApp.keys(keysDir);
        Map<String, Object> config = IngestApp.config(broker.bootstrapServers(), "it-" + run, stateDir, keys);
        IngestApp.define(broker.bootstrapServers(), keys, Tasks.withWindow(Tasks.task(task, "negative", "positive"),
                500, Duration.ofSeconds(1)));
        config.put("ingest.dead-letter-max-bytes", Integer.toString(DEAD_LETTER_MAX_BYTES));
        try (EmbeddedServer server = IngestApp.start(config);
             KafkaProducer<byte[], byte[]> producer = broker.producer()) {
            for (Map.Entry<String, Object[]> entry : poison.entrySet()) {
                String prefix = run + "-" + entry.getKey() + "-";
                byte[] key = entry.getKey().equals("p04") ? padded(prefix, 400_000) : utf8(prefix);
                Object[] spec = entry.getValue();
                producer.send(new ProducerRecord<>((String) spec[0], key, (byte[]) spec[1])).get();
            }
            producer.send(new ProducerRecord<>(labelled, utf8(run + "-good-1"),
                    labelledJson(run + "-good-1", task, "A valid example after the poison", "positive"))).get();
            producer.send(new ProducerRecord<>(feedback, utf8(run + "-good-2"), Inputs.feedbackAvro(run + "-good-2",
                    task, "Valid feedback after the poison", "negative", "positive", null, now))).get();

            List<CleanExample> clean = IngestPipelineIT.readClean(broker, task, 2);
            assertEquals(Set.of(run + "-good-1", run + "-good-2"),
                    clean.stream().map(CleanExample::getId).collect(Collectors.toSet()));

            Map<String, ConsumerRecord<byte[], byte[]>> letters = readDeadLetters(broker, run, poison.size());
            assertEquals(poison.keySet(), letters.keySet());
            AvroCodec<RejectedRecord> codec = AvroCodec.of(RejectedRecord.class);
            poison.forEach((id, spec) -> {
                ConsumerRecord<byte[], byte[]> written = letters.get(id);
                RejectedRecord letter = codec.decode(written.value());
                assertEquals(spec[2], letter.getReasonCode(), id + ": " + letter.getReason());
                assertTrue(letter.getReason().contains((String) spec[3]), id + ": " + letter.getReason());
                assertEquals(spec[0], letter.getSourceTopic());
                assertTrue(written.serializedKeySize() + written.serializedValueSize() <= DEAD_LETTER_MAX_BYTES,
                        id + " dead letter of " + (written.serializedKeySize() + written.serializedValueSize()));
            });

            IngestService service = server.getApplicationContext().getBean(IngestService.class);
            assertEquals(KafkaStreams.State.RUNNING, service.state());
        }
    }

    private static byte[] padded(String prefix, int size) {
        byte[] key = Arrays.copyOf(utf8(prefix), size);
        Arrays.fill(key, prefix.length(), size, (byte) 'k');
        return key;
    }

    /** Dead letters of this run by poison id ({@code pNN}), read from the keys' prefix. */
    private static Map<String, ConsumerRecord<byte[], byte[]>> readDeadLetters(KafkaBroker broker, String run,
                                                                               int expected) {
        Map<String, ConsumerRecord<byte[], byte[]>> byId = new HashMap<>();
        broker.read(Topics.REJECTED_RECORDS.name(), all -> all.stream().filter(r -> id(r, run) != null).count()
                >= expected, TIMEOUT).forEach(r -> {
                    String id = id(r, run);
                    if (id != null) {
                        byId.put(id, r);
                    }
                });
        return byId;
    }

    private static String id(ConsumerRecord<byte[], byte[]> record, String run) {
        if (record.key() == null || record.key().length < run.length() + 4) {
            return null;
        }
        String head = new String(record.key(), 0, run.length() + 4, StandardCharsets.UTF_8);
        return head.startsWith(run + "-p") ? head.substring(run.length() + 1) : null;
    }
}
