package dev.streamtune.ingest;

/**
 * An input record as it arrived: where it came from and its original bytes, kept until the record is admitted so
 * a dead letter can carry it unchanged.
 *
 * @param timestamp the record's Kafka timestamp (producer or log-append time)
 */
public record SourceRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {

    /** {@code topic/partition/offset}: unique and stable, used as the id of examples that bring none. */
    public String coordinates() {
        return topic + "/" + partition + "/" + offset;
    }
}
