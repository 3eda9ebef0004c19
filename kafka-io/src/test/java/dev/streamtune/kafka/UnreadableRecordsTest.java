package dev.streamtune.kafka;

import dev.streamtune.contract.SampleRecords;
import dev.streamtune.contract.Topics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import dev.streamtune.schema.Deployment;
import dev.streamtune.testsupport.PoisonPayloads;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class UnreadableRecordsTest {

    private final UnreadableRecords unreadable = new UnreadableRecords("test");

    @Test
    void decodesAGoodRecord() {
        Deployment deployment = SampleRecords.deployment();
        var decoded = unreadable.decode(record(Topics.DEPLOYMENTS.encode(deployment), 0));
        assertEquals(deployment, decoded.orElseThrow());
        assertEquals(0, unreadable.total());
    }

    @Test
    void skipsAndCountsWhatTheCodecRefusesPerTopic() {
        assertTrue(unreadable.decode(record("not avro at all".getBytes(), 1)).isEmpty());
        byte[] truncated = Topics.DEPLOYMENTS.encode(SampleRecords.deployment());
        assertTrue(unreadable.decode(record(java.util.Arrays.copyOf(truncated, 12), 2)).isEmpty());
        assertEquals(Map.of("deployments", 2L), unreadable.skipped());
        assertEquals(2, unreadable.total());
    }

    @Test
    void aHugeDeclaredLengthIsSkippedNotFatal() {
        byte[] poison = PoisonPayloads.hugeDeclaredLength(Topics.DEPLOYMENTS.encode(SampleRecords.deployment()));
        assertTrue(unreadable.decode(record(poison, 4)).isEmpty());
        assertEquals(1, unreadable.total());
    }

    @Test
    void aTombstoneIsEmptyButNotCounted() {
        assertTrue(unreadable.decode(record(null, 3)).isEmpty());
        assertEquals(0, unreadable.total());
    }

    private static ConsumerRecord<byte[], byte[]> record(byte[] value, long offset) {
        return new ConsumerRecord<>(Topics.DEPLOYMENTS.name(), 0, offset, "task".getBytes(), value);
    }
}
