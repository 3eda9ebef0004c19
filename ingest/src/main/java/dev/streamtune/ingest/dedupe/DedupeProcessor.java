package dev.streamtune.ingest.dedupe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import dev.streamtune.ingest.CleanedExample;
import dev.streamtune.ingest.config.IngestSettings;
import dev.streamtune.ingest.metrics.IngestMetrics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Step 3, dedupe: drops an example whose content hash was already accepted within the dedupe horizon (ingest.defaults.dedupe-horizon).
 *
 * <p>Horizon semantics: the store remembers, per content hash, the Kafka timestamp of the example that was let
 * through. A later example with the same hash is a duplicate when its timestamp is within the horizon of that one
 * (either side, so out-of-order arrival does not matter); past the horizon it is accepted again and becomes the new
 * reference. So a text is accepted at most once per horizon. Record timestamps, not the wall clock, make a replay
 * give the same answers. Entries older than the horizon are purged periodically (stream time).
 *
 * <p>Runs after the by-task repartition, so all examples of a task, and therefore all copies of a content, meet in
 * the same stream task and store.
 */
public final class DedupeProcessor implements FixedKeyProcessor<String, CleanedExample, CleanedExample> {

    public static final String STORE = "ingest-dedupe";
    private static final HexFormat HEX = HexFormat.of();
    private static final int PURGE_BATCH = 50_000;

    private final IngestSettings settings;
    private final IngestMetrics metrics;
    private final long horizonMs;
    private FixedKeyProcessorContext<String, CleanedExample> context;
    private KeyValueStore<Bytes, Long> accepted;

    public DedupeProcessor(IngestSettings settings, IngestMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        this.horizonMs = settings.defaults().dedupeHorizon().toMillis();
    }

    /**
     * Persistent (RocksDB) with a changelog. Not cached: nearly every key is new, so a cache would coalesce
     * nothing and only add its own bookkeeping (measured: a quarter of the stream thread's time).
     */
    public static StoreBuilder<KeyValueStore<Bytes, Long>> storeBuilder() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.Bytes(), Serdes.Long())
                .withCachingDisabled();
    }

    @Override
    public void init(FixedKeyProcessorContext<String, CleanedExample> context) {
        this.context = context;
        this.accepted = context.getStateStore(STORE);
        Duration interval = settings.dedupePurgeInterval();
        context.schedule(interval, PunctuationType.STREAM_TIME, this::purgeOlderThanHorizon);
    }

    @Override
    public void process(FixedKeyRecord<String, CleanedExample> record) {
        CleanedExample example = record.value();
        Bytes hash = Bytes.wrap(HEX.parseHex(example.contentHash()));
        long timestamp = record.timestamp();
        Long reference = accepted.get(hash);
        if (reference != null && Math.abs(timestamp - reference) <= horizonMs) {
            metrics.duplicate(example.task());
            return;
        }
        accepted.put(hash, timestamp);
        context.forward(record);
    }

    /** Removes hashes whose reference is older than the horizon; in batches, to bound one punctuation. */
    private void purgeOlderThanHorizon(long streamTime) {
        long expiredBefore = streamTime - horizonMs;
        List<Bytes> expired = new ArrayList<>();
        try (KeyValueIterator<Bytes, Long> all = accepted.all()) {
            while (all.hasNext() && expired.size() < PURGE_BATCH) {
                KeyValue<Bytes, Long> entry = all.next();
                if (entry.value < expiredBefore) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(accepted::delete);
    }
}
