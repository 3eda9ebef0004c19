package dev.streamtune.serving.adapter;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.streamtune.model.AdapterLoadException;
import dev.streamtune.model.TextPredictor;
import dev.streamtune.schema.Deployment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which adapter answers for each task, and the hot swap between them.
 *
 * <p>A new deployment is loaded and warmed on one background thread while the current adapter keeps answering;
 * then the task's reference is switched atomically and the old adapter retired, which closes it once its in-flight
 * requests are done (see {@link ServedAdapter}). A deployment that cannot be loaded (corrupt, wrong checksum,
 * trained on another base model) is recorded as the task's {@link SwapFailure} and the old adapter stays. When
 * deployments arrive faster than they load, only the latest one is swapped in; the others are superseded.
 */
public final class AdapterRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdapterRegistry.class);

    /** What the registry reports; called on the loading thread. */
    public interface Listener {
        void swapped(ServedAdapter previous, ServedAdapter current, Duration loadTime);

        void failed(SwapFailure failure);

        void superseded(Deployment deployment);

        Listener NONE = new Listener() {
            @Override
            public void swapped(ServedAdapter previous, ServedAdapter current, Duration loadTime) {
            }

            @Override
            public void failed(SwapFailure failure) {
            }

            @Override
            public void superseded(Deployment deployment) {
            }
        };
    }

    private static final class Slot {
        final AtomicReference<ServedAdapter> current = new AtomicReference<>();
        /** The latest deployment not served yet (loading or queued); null when the current one is the latest. */
        Deployment wanted;
        volatile SwapFailure lastFailure;
    }

    private final AdapterLoader loader;
    private final Listener listener;
    private final Clock clock;
    private final ExecutorService background;
    private final ConcurrentMap<String, Slot> slots = new ConcurrentHashMap<>();
    private final AtomicInteger pendingLoads = new AtomicInteger();
    private volatile boolean closing;

    public AdapterRegistry(AdapterLoader loader, Listener listener, Clock clock) {
        this.loader = loader;
        this.listener = listener;
        this.clock = clock;
        // One thread: loads run one at a time beside the request path, and retired adapters are closed here too.
        this.background = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "adapter-loader");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Makes {@code deployment} the adapter its task should answer with; returns at once, loading in background. */
    public void deploy(Deployment deployment) {
        Slot slot = slots.computeIfAbsent(deployment.getTask(), t -> new Slot());
        synchronized (slot) {
            ServedAdapter serving = slot.current.get();
            if (slot.wanted == null && serving != null && serving.sameArtifact(deployment)) {
                serving.update(deployment); // pinned, unpinned or re-published: same bytes, nothing to load
                return;
            }
            if (slot.wanted != null && ServedAdapter.sameArtifact(slot.wanted, deployment)) {
                slot.wanted = deployment;
                return;
            }
            slot.wanted = deployment;
        }
        pendingLoads.incrementAndGet();
        try {
            background.execute(() -> {
                try {
                    load(slot, deployment);
                } finally {
                    pendingLoads.decrementAndGet();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            pendingLoads.decrementAndGet();
        }
    }

    /**
     * Stops answering for {@code task}: a load in progress is dropped when it completes, and the adapter serving
     * now is retired (closed once its in-flight requests are done). For a rollout's candidate when it ends.
     */
    public void withdraw(String task) {
        Slot slot = slots.get(task);
        if (slot == null) {
            return;
        }
        ServedAdapter withdrawn;
        synchronized (slot) {
            slot.wanted = null;
            withdrawn = slot.current.getAndSet(null);
        }
        if (withdrawn != null) {
            withdrawn.retire();
            LOG.info("Task {} no longer answers with adapter {}", task, withdrawn.adapterId());
        }
    }

    private void load(Slot slot, Deployment deployment) {
        synchronized (slot) {
            if (closing) {
                return;
            }
            if (!stillWanted(slot, deployment)) {
                listener.superseded(deployment);
                return;
            }
            ServedAdapter serving = slot.current.get();
            if (serving != null && serving.sameArtifact(deployment)) {
                serving.update(deployment); // a rollback to the adapter still serving, before the newer one loaded
                slot.wanted = null;
                return;
            }
        }
        String task = deployment.getTask();
        long started = System.nanoTime();
        TextPredictor model;
        try {
            model = loader.load(deployment);
        } catch (AdapterLoadException | RuntimeException e) {
            SwapFailure failure = SwapFailure.of(task, deployment.getAdapterId(), e, clock.instant());
            synchronized (slot) {
                slot.lastFailure = failure;
                if (stillWanted(slot, deployment)) {
                    slot.wanted = null;
                }
            }
            ServedAdapter still = slot.current.get();
            LOG.warn("Adapter {} for task {} rejected ({}); still serving {}: {}", deployment.getAdapterId(), task,
                    failure.kind(), still == null ? "nothing" : still.adapterId(), failure.message());
            listener.failed(failure);
            return;
        }
        Duration loadTime = Duration.ofNanos(System.nanoTime() - started);
        ServedAdapter next;
        ServedAdapter previous;
        synchronized (slot) {
            if (!stillWanted(slot, deployment)) {
                model.close(); // a newer deployment arrived while this one loaded
                listener.superseded(deployment);
                return;
            }
            // The latest record of this artifact: one re-published meanwhile (pinned, or with a rollout's trial
            // on it) replaced the wanted record without a load of its own.
            next = new ServedAdapter(slot.wanted, model, clock.instant(), background::execute);
            previous = slot.current.getAndSet(next);
            slot.wanted = null;
        }
        if (previous != null) {
            previous.retire();
        }
        LOG.info("Task {} now answers with adapter {} (was {}); loaded and warmed in {} ms", task,
                next.adapterId(), previous == null ? "none" : previous.adapterId(), loadTime.toMillis());
        listener.swapped(previous, next, loadTime);
    }

    /**
     * Whether the slot still wants {@code deployment}'s artifact: a record of the same artifact published while it
     * loads takes its place in {@code wanted} and is served by this load, not superseded by it.
     */
    private static boolean stillWanted(Slot slot, Deployment deployment) {
        return slot.wanted != null && ServedAdapter.sameArtifact(slot.wanted, deployment);
    }

    /**
     * A lease on the task's current adapter, or empty when none is serving yet. Always the adapter current at the
     * time of the call: if a swap retires it concurrently, the loop picks up its successor.
     */
    public Optional<AdapterLease> lease(String task) {
        Slot slot = slots.get(task);
        if (slot == null) {
            return Optional.empty();
        }
        while (true) {
            ServedAdapter adapter = slot.current.get();
            if (adapter == null) {
                return Optional.empty();
            }
            if (adapter.tryAcquire()) {
                return Optional.of(new AdapterLease(adapter));
            }
        }
    }

    /** The adapter answering for {@code task} now (for reading its metadata; use {@link #lease} to predict). */
    public Optional<ServedAdapter> current(String task) {
        Slot slot = slots.get(task);
        return slot == null ? Optional.empty() : Optional.ofNullable(slot.current.get());
    }

    public boolean isServing(String task) {
        return current(task).isPresent();
    }

    /** The deployment being loaded for {@code task}, if any. */
    public Optional<Deployment> pending(String task) {
        Slot slot = slots.get(task);
        if (slot == null) {
            return Optional.empty();
        }
        synchronized (slot) {
            return Optional.ofNullable(slot.wanted);
        }
    }

    /** The task's most recent failed deployment, kept until the process restarts. */
    public Optional<SwapFailure> lastFailure(String task) {
        Slot slot = slots.get(task);
        return slot == null ? Optional.empty() : Optional.ofNullable(slot.lastFailure);
    }

    /** Every task a deployment was seen for. */
    public Set<String> tasks() {
        return new TreeSet<>(slots.keySet());
    }

    /** Loads queued or running. */
    public int pendingLoads() {
        return pendingLoads.get();
    }

    /** Stops loading, retires every adapter (each closes after its in-flight requests). */
    @Override
    public void close() {
        closing = true;
        background.shutdown(); // queued loads return at once; queued closes of retired adapters still run
        try {
            if (!background.awaitTermination(30, TimeUnit.SECONDS)) {
                background.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Slot slot : slots.values()) {
            ServedAdapter adapter = slot.current.getAndSet(null);
            if (adapter != null) {
                adapter.retire();
            }
        }
    }
}
