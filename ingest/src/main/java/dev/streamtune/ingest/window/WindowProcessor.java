package dev.streamtune.ingest.window;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import dev.streamtune.ingest.CleanedExample;
import dev.streamtune.ingest.config.IngestSettings;
import dev.streamtune.ingest.config.TaskRulebook;
import dev.streamtune.ingest.config.TaskRules;
import dev.streamtune.ingest.metrics.IngestMetrics;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.TrainingWindow;
import dev.streamtune.schema.WindowCloseReason;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Step 5, window: assigns each example to its task's open window, forwards it as the final {@link CleanExample},
 * and closes the window into a {@link TrainingWindow} manifest when it holds {@code window-max-count} examples
 * (checked after each example) or its first example is {@code window-max-age} old (checked by a wall-clock
 * punctuator, and before adding an example, so an idle task's window still closes). An empty window never closes.
 * The window policy and the label set of the manifest are the task's as the catalogue says now.
 *
 * <p>Ordering contract with the trainer: every example of a window is forwarded before its manifest, by this one
 * processor, in the same or an earlier transaction; so a read_committed consumer that sees a manifest already can
 * see all of its examples.
 *
 * <p>Forwards both kinds of record; the topology routes them to examples.clean and windows.closed by type.
 */
public final class WindowProcessor implements Processor<String, CleanedExample, String, SpecificRecord> {

    public static final String STORE = "ingest-windows";
    /** Token-frequency snapshots of the open windows (approximate statistics, written at most once a check). */
    public static final String TOKENS_STORE = "ingest-window-tokens";

    private final IngestSettings settings;
    private final Supplier<TaskRulebook> rulebook;
    private final IngestMetrics metrics;
    /** The store's content, deserialised once: this processor is the store's only writer. */
    private final Map<String, WindowState> states = new HashMap<>();
    /** Token version last written per task, to skip unchanged snapshots. */
    private final Map<String, Long> snapshotVersions = new HashMap<>();
    private final TokenSnapshotSerde snapshots = new TokenSnapshotSerde();
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, WindowState> store;
    private KeyValueStore<String, byte[]> tokenStore;

    public WindowProcessor(IngestSettings settings, Supplier<TaskRulebook> rulebook, IngestMetrics metrics) {
        this.settings = settings;
        this.rulebook = rulebook;
        this.metrics = metrics;
    }

    public static StoreBuilder<KeyValueStore<String, WindowState>> storeBuilder() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                new WindowStateSerde()).withCachingEnabled();
    }

    public static StoreBuilder<KeyValueStore<String, byte[]>> tokenStoreBuilder() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TOKENS_STORE), Serdes.String(),
                TokenSnapshotSerde.serde()).withCachingEnabled();
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        this.tokenStore = context.getStateStore(TOKENS_STORE);
        states.clear();
        snapshotVersions.clear();
        try (KeyValueIterator<String, WindowState> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, WindowState> entry = all.next();
                TokenSnapshotSerde.restore(entry.value, tokenStore.get(entry.key));
                states.put(entry.key, entry.value);
                snapshotVersions.put(entry.key, entry.value.tokensVersion());
            }
        }
        context.schedule(settings.windowCheckInterval(), PunctuationType.WALL_CLOCK_TIME, this::checkWindows);
    }

    @Override
    public void process(Record<String, CleanedExample> record) {
        String task = record.key();
        CleanedExample example = record.value();
        TaskRules rules = rulebook.get().rulesOrDefault(task);
        WindowState state = states.computeIfAbsent(task, WindowState::first);
        long now = context.currentSystemTimeMs();
        if (!state.isEmpty() && dueByAge(state, rules, now)) {
            close(state, rules, WindowCloseReason.TIME, now);
        }
        context.forward(record.withValue(toCleanExample(example, state.windowId())));
        metrics.recordOut(task);
        if (example.truncated()) {
            metrics.truncated(task);
        }
        state.add(example, now);
        if (rules.windowMaxCount() > 0 && state.count() >= rules.windowMaxCount()) {
            close(state, rules, WindowCloseReason.COUNT, now);
        }
        store.put(task, state);
    }

    /** Closes windows that reached their age, and snapshots token frequencies that changed. */
    private void checkWindows(long now) {
        TaskRulebook book = rulebook.get();
        for (WindowState state : states.values()) {
            TaskRules rules = book.rulesOrDefault(state.task());
            if (!state.isEmpty() && dueByAge(state, rules, now)) {
                close(state, rules, WindowCloseReason.TIME, now);
                store.put(state.task(), state);
            }
            Long written = snapshotVersions.get(state.task());
            if (written == null || written != state.tokensVersion()) {
                tokenStore.put(state.task(), snapshots.snapshot(state));
                snapshotVersions.put(state.task(), state.tokensVersion());
            }
        }
    }

    private static boolean dueByAge(WindowState state, TaskRules rules, long now) {
        return !rules.windowMaxAge().isZero() && now - state.openedAt() >= rules.windowMaxAge().toMillis();
    }

    private void close(WindowState state, TaskRules rules, WindowCloseReason reason, long now) {
        TrainingWindow manifest = state.close(reason, now, rules.labels());
        context.forward(new Record<>(state.task(), manifest, now));
        metrics.windowClosed(state.task(), reason);
    }

    static CleanExample toCleanExample(CleanedExample example, String windowId) {
        return new CleanExample(example.id(), example.task(), example.text(), example.label(), example.source(),
                example.origin(), Instant.ofEpochMilli(example.eventTime()), example.attributes(), example.weight(),
                example.split(), example.contentHash(), windowId, example.truncated());
    }
}
