package dev.streamtune.serving.adapter;

import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.streamtune.model.TextPredictor;
import dev.streamtune.schema.Deployment;

/**
 * An adapter that is (or was) answering for a task, with a reference count: the registry holds one reference while
 * the adapter is current, and every in-flight forward pass holds one through an {@link AdapterLease}. Retiring it
 * drops the registry's reference; the model is closed when the count reaches zero, i.e. after the last request that
 * started on it has finished, and never while one is running.
 */
public final class ServedAdapter {

    private final TextPredictor model;
    private final Instant servingSince;
    private final Executor closer;
    private final AtomicInteger references = new AtomicInteger(1);
    private final AtomicBoolean retired = new AtomicBoolean();
    private volatile Deployment deployment;

    ServedAdapter(Deployment deployment, TextPredictor model, Instant servingSince, Executor closer) {
        this.deployment = deployment;
        this.model = model;
        this.servingSince = servingSince;
        this.closer = closer;
    }

    public String task() {
        return deployment.getTask();
    }

    public String adapterId() {
        return deployment.getAdapterId();
    }

    /** The latest deployment record naming this adapter (a pin re-publishes it without a reload). */
    public Deployment deployment() {
        return deployment;
    }

    public TextPredictor model() {
        return model;
    }

    /** When this process started answering with it. */
    public Instant servingSince() {
        return servingSince;
    }

    /** Forward passes running on it now. */
    public int inFlight() {
        int n = references.get();
        return retired.get() ? n : Math.max(0, n - 1);
    }

    public boolean isClosed() {
        return references.get() <= 0;
    }

    boolean sameArtifact(Deployment other) {
        return sameArtifact(deployment, other);
    }

    static boolean sameArtifact(Deployment a, Deployment b) {
        return a.getAdapterId().equals(b.getAdapterId()) && a.getArtifactUri().equals(b.getArtifactUri())
                && a.getArtifactSha256().equalsIgnoreCase(b.getArtifactSha256());
    }

    void update(Deployment republished) {
        this.deployment = republished;
    }

    /** Takes a reference unless the adapter is already closed. */
    boolean tryAcquire() {
        while (true) {
            int n = references.get();
            if (n <= 0) {
                return false;
            }
            if (references.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void release() {
        int left = references.decrementAndGet();
        if (left == 0) {
            try {
                closer.execute(model::close);
            } catch (RejectedExecutionException shuttingDown) {
                model.close();
            }
        } else if (left < 0) {
            throw new IllegalStateException("Adapter " + adapterId() + " released more often than acquired");
        }
    }

    /** Drops the registry's reference, once; the model closes after the in-flight requests. */
    void retire() {
        if (retired.compareAndSet(false, true)) {
            release();
        }
    }
}
