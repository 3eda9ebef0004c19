package dev.streamtune.serving.adapter;

import java.util.concurrent.atomic.AtomicBoolean;

import dev.streamtune.model.TextPredictor;

/**
 * The right to run forward passes on one adapter until closed. Held for the length of one batch: a swap that
 * happens meanwhile does not close the adapter under it.
 */
public final class AdapterLease implements AutoCloseable {

    private final ServedAdapter adapter;
    private final AtomicBoolean released = new AtomicBoolean();

    AdapterLease(ServedAdapter adapter) {
        this.adapter = adapter;
    }

    public ServedAdapter adapter() {
        return adapter;
    }

    public TextPredictor model() {
        return adapter.model();
    }

    @Override
    public void close() {
        if (released.compareAndSet(false, true)) {
            adapter.release();
        }
    }
}
