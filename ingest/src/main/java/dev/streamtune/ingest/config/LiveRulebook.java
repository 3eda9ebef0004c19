package dev.streamtune.ingest.config;

import java.util.function.Supplier;

import dev.streamtune.contract.TaskCatalogue;

/**
 * The rules of the catalogue as it is now: per call, one read of the current snapshot (a volatile read on the
 * follower) and, only when the snapshot changed since the last call, the new {@link TaskRulebook}. So the steps
 * follow a task created or a label appended from the next record on, with no restart and no per-record copying.
 * Thread-safe: stream threads may race to build the same rulebook, which is harmless (both are equal).
 */
public final class LiveRulebook implements Supplier<TaskRulebook> {

    private final Supplier<TaskCatalogue> catalogue;
    private final IngestSettings.Defaults shared;
    private volatile TaskRulebook last;

    public LiveRulebook(Supplier<TaskCatalogue> catalogue, IngestSettings.Defaults shared) {
        this.catalogue = catalogue;
        this.shared = shared;
    }

    @Override
    public TaskRulebook get() {
        TaskCatalogue now = catalogue.get();
        TaskRulebook book = last;
        if (book == null || book.catalogue() != now) {
            book = TaskRulebook.of(now, shared);
            last = book;
        }
        return book;
    }
}
