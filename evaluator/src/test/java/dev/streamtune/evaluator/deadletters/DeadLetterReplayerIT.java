package dev.streamtune.evaluator.deadletters;

import static dev.streamtune.evaluator.deadletters.DeadLetterFixture.avro;
import static dev.streamtune.evaluator.deadletters.DeadLetterFixture.avroFeedback;
import static dev.streamtune.evaluator.deadletters.DeadLetterFixture.json;
import static dev.streamtune.evaluator.deadletters.DeadLetterFixture.letter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.streamtune.contract.ReasonCode;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.KafkaClients;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.schema.RejectedRecord;
import dev.streamtune.testsupport.KafkaBroker;
import dev.streamtune.testsupport.WithKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Dead-letter replay on a real broker, no ingest process: dead letters are written as ingest writes them (JSON and
 * Avro originals, with and without ids, labelled and feedback), and a stand-in for ingest answers the replayed
 * records. One broker for the class; the steps build on each other.
 */
@WithKafka
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeadLetterReplayerIT {

    private static DeadLetterTopics topics;
    private static DeadLetterReplayer replayer;

    private static void setUp(KafkaBroker broker) {
        if (topics == null) {
            KafkaConnection kafka = KafkaConnection.plaintext(broker.bootstrapServers());
            topics = new DeadLetterTopics(kafka);
            replayer = new DeadLetterReplayer(kafka);
        }
    }

    @Test
    @Order(1)
    void replayPutsExactlyTheTasksOriginalsWithTheReasonBackWithTheirIds(KafkaBroker broker) {
        setUp(broker);
        byte[] cut = json("intent", "refund", "cut-1", "a long text that ingest cut");
        topics.deadLetter(
                letter("UNKNOWN_LABEL", "intent", "refund", json("intent", "refund", "j-1", "money back"), 10),
                letter("UNKNOWN_LABEL", "intent", "refund", json("intent", "refund", null, "money back now"), 11),
                letter("UNKNOWN_LABEL", "intent", "refund", avro("intent", "refund", "a-1", "refund me"), 12),
                letter("UNKNOWN_LABEL", "intent", "refund", avro("intent", "refund", null, "refund me now"), 13),
                letter(Topics.FEEDBACK_EVENTS.name(), "UNKNOWN_LABEL", "intent", "refund",
                        avroFeedback("intent", "refund", null, "it was a refund"), 14),
                letter("UNKNOWN_LABEL", "intent", "refund", Arrays.copyOf(cut, cut.length - 4), 15),
                // untouched: another reason, another task, no task
                letter("TEXT_TOO_LONG", "intent", "refund", json("intent", "refund", "long-1", "long"), 16),
                letter("UNKNOWN_LABEL", "other", "refund", json("other", "refund", "o-1", "other task"), 17),
                letter("MALFORMED", null, null, "not json".getBytes(), 18));

        ReplayReport report = replayer.replay("intent", ReasonCode.UNKNOWN_LABEL, Duration.ZERO);

        assertEquals(5, report.replayed());
        assertEquals(Map.of("unreadable JSON value (cut to fit, or never valid)", 1), report.unreplayable());
        assertEquals(5, report.pending());
        assertEquals(sorted("j-1", "examples.labelled/0/11", "a-1", "examples.labelled/0/13"),
                ids(Topics.LABELLED_EXAMPLES.name(), 4));
        assertEquals(sorted("feedback.events/0/14"), ids(Topics.FEEDBACK_EVENTS.name(), 1));
        List<ConsumerRecord<byte[], byte[]>> back = topics.read(Topics.LABELLED_EXAMPLES, 4, Duration.ofSeconds(10));
        assertEquals("intent", new String(back.get(0).key()), "the original key");
        assertEquals(DeadLetterFixture.REJECTED_AT.toEpochMilli(), back.get(0).timestamp());
    }

    @Test
    @Order(2)
    void aSecondReplayAddsNothing(KafkaBroker broker) {
        setUp(broker);
        ReplayReport again = replayer.replay("intent", ReasonCode.UNKNOWN_LABEL, Duration.ZERO);
        assertEquals(0, again.replayed());
        assertEquals(Map.of(), again.unreplayable());
        assertEquals(4, topics.read(Topics.LABELLED_EXAMPLES, 4, Duration.ofSeconds(5)).size());
    }

    @Test
    @Order(3)
    void otherReasonsAndTasksKeepTheirOwnPositions(KafkaBroker broker) {
        setUp(broker);
        assertEquals(1, replayer.replay("intent", ReasonCode.TEXT_TOO_LONG, Duration.ZERO).replayed());
        assertEquals(1, replayer.replay("other", ReasonCode.UNKNOWN_LABEL, Duration.ZERO).replayed());
        assertEquals(0, replayer.replay("other", ReasonCode.UNKNOWN_LABEL, Duration.ZERO).replayed());
        assertEquals(sorted("j-1", "examples.labelled/0/11", "a-1", "examples.labelled/0/13", "long-1", "o-1"),
                ids(Topics.LABELLED_EXAMPLES.name(), 6));
    }

    @Test
    @Order(4)
    void onlyDeadLettersNewerThanTheLastReplayGoBackAndIngestsVerdictsAreReported(KafkaBroker broker)
            throws Exception {
        setUp(broker);
        topics.deadLetter(
                letter("UNKNOWN_LABEL", "intent", "refund", json("intent", "refund", null, "accepted this time"), 20),
                letter("UNKNOWN_LABEL", "intent", "cancel", json("intent", "cancel", "c-1", "still unknown"), 21),
                letter("UNKNOWN_LABEL", "intent", "refund", json("intent", "refund", "d-1", "a duplicate"), 22));
        Map<TopicPartition, Long> before = endOffsets(broker);
        CompletableFuture<Void> ingest = CompletableFuture.runAsync(() -> actAsIngest(broker, before, 3));

        ReplayReport report = replayer.replay("intent", ReasonCode.UNKNOWN_LABEL, Duration.ofSeconds(10));
        ingest.get(30, TimeUnit.SECONDS);

        assertEquals(new ReplayReport("intent", "UNKNOWN_LABEL", 3, Map.of(), 1, Map.of("UNKNOWN_LABEL", 1), 1),
                report);
        assertEquals(sorted("j-1", "examples.labelled/0/11", "a-1", "examples.labelled/0/13", "long-1", "o-1",
                "examples.labelled/0/20", "c-1", "d-1"), ids(Topics.LABELLED_EXAMPLES.name(), 9));
    }

    @Test
    @Order(5)
    void aRecordRejectedAgainIsANewDeadLetterThatALaterReplaySendsOnce(KafkaBroker broker) {
        setUp(broker);
        // the cancel example came back as a dead letter (step 4); once its label exists, a replay sends it again
        ReplayReport report = replayer.replay("intent", ReasonCode.UNKNOWN_LABEL, Duration.ZERO);
        assertEquals(1, report.replayed());
        assertEquals(0, replayer.replay("intent", ReasonCode.UNKNOWN_LABEL, Duration.ZERO).replayed());
        assertEquals(sorted("j-1", "examples.labelled/0/11", "a-1", "examples.labelled/0/13", "long-1", "o-1",
                "examples.labelled/0/20", "c-1", "d-1", "c-1"), ids(Topics.LABELLED_EXAMPLES.name(), 10));
    }

    @Test
    @Order(6)
    void aFencedReplayerWritesNothingAndAnotherInstanceGoesOnFromTheSamePosition(KafkaBroker broker) {
        setUp(broker);
        DeadLetterReplayer zombie = replayer;
        assertEquals(0, zombie.replay("fenced", ReasonCode.UNKNOWN_TASK, Duration.ZERO).replayed());
        DeadLetterReplayer successor = new DeadLetterReplayer(KafkaConnection.plaintext(broker.bootstrapServers()));
        assertEquals(0, successor.replay("fenced", ReasonCode.UNKNOWN_TASK, Duration.ZERO).replayed());
        topics.deadLetter(
                letter("UNKNOWN_TASK", "fenced", "x", json("fenced", "x", "f-1", "one"), 30),
                letter("UNKNOWN_TASK", "fenced", "x", json("fenced", "x", "f-2", "two"), 31));

        // the successor's producer fenced the zombie's: its transaction fails and leaves nothing visible
        assertThrows(KafkaException.class,
                () -> zombie.replay("fenced", ReasonCode.UNKNOWN_TASK, Duration.ZERO));
        assertEquals(10, topics.read(Topics.LABELLED_EXAMPLES, 10, Duration.ofSeconds(3)).size());

        assertEquals(2, successor.replay("fenced", ReasonCode.UNKNOWN_TASK, Duration.ZERO).replayed());
        // the zombie comes back with a fresh producer (fencing the successor) and finds nothing left to replay
        assertEquals(0, zombie.replay("fenced", ReasonCode.UNKNOWN_TASK, Duration.ZERO).replayed());
        topics.deadLetter(letter("UNKNOWN_TASK", "fenced", "x", json("fenced", "x", "f-3", "three"), 32));
        assertThrows(KafkaException.class,
                () -> successor.replay("fenced", ReasonCode.UNKNOWN_TASK, Duration.ZERO));
        assertEquals(1, successor.replay("fenced", ReasonCode.UNKNOWN_TASK, Duration.ZERO).replayed());
        List<String> ids = ids(Topics.LABELLED_EXAMPLES.name(), 13);
        assertEquals(13, ids.size());
        for (String id : List.of("f-1", "f-2", "f-3")) {
            assertEquals(1, ids.stream().filter(id::equals).count(), id);
        }
        zombie.close();
        successor.close();
    }

    /**
     * A stand-in for ingest's verdicts on the next {@code count} records of examples.labelled after {@code from}:
     * "refund" is accepted (a clean example), "cancel" is dead-lettered again, "a duplicate" is dropped.
     */
    private static void actAsIngest(KafkaBroker broker, Map<TopicPartition, Long> from, int count) {
        KafkaConnection kafka = KafkaConnection.plaintext(broker.bootstrapServers());
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.assignedConsumer(kafka, "fake-ingest");
             KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(kafka, "fake-ingest", 0)) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            int seen = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    seen++;
                    String id = DeadLetterTopics.idIn(record.topic(), record.value());
                    String text = new String(record.value());
                    if (text.contains("\"refund\"") && !text.contains("duplicate")) {
                        producer.send(new ProducerRecord<>(Topics.CLEAN_EXAMPLES.name(), "intent".getBytes(),
                                Topics.CLEAN_EXAMPLES.encode(ReplayVerdictsTest.clean("intent", id))));
                    } else if (text.contains("\"cancel\"")) {
                        RejectedRecord again = RejectedRecord.newBuilder(letter("UNKNOWN_LABEL", "intent", "cancel",
                                record.value(), record.offset())).setOriginalValue(ByteBuffer.wrap(record.value()))
                                .build();
                        producer.send(new ProducerRecord<>(Topics.REJECTED_RECORDS.name(), "intent".getBytes(),
                                Topics.REJECTED_RECORDS.encode(again)));
                    }
                }
            }
            producer.flush();
        }
    }

    private static Map<TopicPartition, Long> endOffsets(KafkaBroker broker) {
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.assignedConsumer(
                KafkaConnection.plaintext(broker.bootstrapServers()), "it-offsets")) {
            return consumer.endOffsets(KafkaClients.partitions(consumer, List.of(Topics.LABELLED_EXAMPLES)));
        }
    }

    /** The ids on a topic, sorted: records of different keys land on different partitions. */
    private static List<String> ids(String topic, int atLeast) {
        return topics.read(Topics.ALL.stream().filter(t -> t.name().equals(topic)).findFirst().orElseThrow(),
                atLeast, Duration.ofSeconds(10)).stream().map(r -> DeadLetterTopics.idIn(topic, r.value()))
                .sorted().toList();
    }

    private static List<String> sorted(String... ids) {
        return Arrays.stream(ids).sorted().toList();
    }
}
