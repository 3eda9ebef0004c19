package dev.streamtune.serving.predict;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToIntFunction;

import dev.streamtune.serving.RequestRejectedException;

/**
 * Dynamic micro-batching: concurrent submissions are gathered into one call of a batch function (one forward pass)
 * of at most {@code maxBatch} units of work (texts). The first item of a batch waits at most {@code maxWait} for
 * company, counted from when it was submitted, so under load (items queued while the previous batch ran) batches
 * fill without waiting, and a lone request pays at most {@code maxWait}. An item heavier than {@code maxBatch} runs
 * alone. Beyond {@code maxQueued} waiting units, submissions are refused (the caller gets OVERLOADED) rather than
 * queued without bound.
 *
 * @param <I> an item of work (a request's texts)
 * @param <O> its result
 */
public final class MicroBatcher<I, O> implements AutoCloseable {

    /** Runs one batch; returns one result per item, in order. */
    @FunctionalInterface
    public interface BatchFunction<I, O> {
        List<O> apply(List<I> batch) throws Exception;
    }

    /** Told about every batch run, for metrics. */
    @FunctionalInterface
    public interface BatchObserver {
        void ran(int items, int units, long nanos);
    }

    private record Pending<I, O>(I item, int units, long submittedNanos, CompletableFuture<O> result) {
    }

    private final String name;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final int maxQueued;
    private final ToIntFunction<I> units;
    private final BatchFunction<I, O> function;
    private final BatchObserver observer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Pending<I, O>> queue = new ArrayDeque<>();
    private final List<Thread> workers = new ArrayList<>();
    private int queuedUnits;
    private boolean closed;

    /**
     * @param workers threads running batches at the same time (each batch is one forward pass)
     */
    public MicroBatcher(String name, int maxBatch, Duration maxWait, int maxQueued, int workers,
                        ToIntFunction<I> units, BatchFunction<I, O> function, BatchObserver observer) {
        if (maxBatch < 1 || maxQueued < 1 || workers < 1 || maxWait.isNegative()) {
            throw new IllegalArgumentException("maxBatch, maxQueued and workers must be positive and maxWait >= 0");
        }
        this.name = name;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.maxQueued = maxQueued;
        this.units = units;
        this.function = function;
        this.observer = observer;
        for (int i = 0; i < workers; i++) {
            Thread worker = new Thread(this::work, workers == 1 ? name : name + "-" + i);
            worker.setDaemon(true);
            this.workers.add(worker);
            worker.start();
        }
    }

    /** Queues {@code item}; the future completes on a worker thread when its batch has run. */
    public CompletableFuture<O> submit(I item) {
        int weight = Math.max(1, units.applyAsInt(item));
        CompletableFuture<O> result = new CompletableFuture<>();
        lock.lock();
        try {
            if (closed) {
                throw new RequestRejectedException(RequestRejectedException.Reason.OVERLOADED,
                        name + " is shutting down");
            }
            if (queuedUnits > 0 && queuedUnits + weight > maxQueued) {
                throw new RequestRejectedException(RequestRejectedException.Reason.OVERLOADED,
                        name + " has " + queuedUnits + " texts waiting; try again shortly");
            }
            queue.addLast(new Pending<>(item, weight, System.nanoTime(), result));
            queuedUnits += weight;
            arrived.signal();
        } finally {
            lock.unlock();
        }
        return result;
    }

    /** Units (texts) waiting for a worker. */
    public int queued() {
        lock.lock();
        try {
            return queuedUnits;
        } finally {
            lock.unlock();
        }
    }

    private void work() {
        while (true) {
            List<Pending<I, O>> batch;
            try {
                batch = nextBatch();
            } catch (InterruptedException e) {
                return;
            }
            if (batch == null) {
                return;
            }
            run(batch);
        }
    }

    /** Blocks for the first item, then gathers more until the batch is full or the first item's wait is over. */
    private List<Pending<I, O>> nextBatch() throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (closed) {
                    return null;
                }
                arrived.await();
            }
            Pending<I, O> first = queue.pollFirst();
            List<Pending<I, O>> batch = new ArrayList<>();
            batch.add(first);
            int size = first.units();
            long deadline = first.submittedNanos() + maxWaitNanos;
            while (size < maxBatch) {
                Pending<I, O> next = queue.peekFirst();
                if (next == null) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || closed) {
                        break;
                    }
                    arrived.awaitNanos(left);
                    continue;
                }
                if (size + next.units() > maxBatch) {
                    break;
                }
                queue.pollFirst();
                batch.add(next);
                size += next.units();
            }
            queuedUnits -= size;
            if (!queue.isEmpty()) {
                arrived.signal(); // another worker may start on the rest
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private void run(List<Pending<I, O>> batch) {
        List<I> items = new ArrayList<>(batch.size());
        int size = 0;
        for (Pending<I, O> pending : batch) {
            items.add(pending.item());
            size += pending.units();
        }
        long started = System.nanoTime();
        List<O> results;
        try {
            results = function.apply(items);
            if (results.size() != items.size()) {
                throw new IllegalStateException(name + ": " + items.size() + " items but " + results.size()
                        + " results");
            }
        } catch (Throwable e) {
            batch.forEach(pending -> pending.result().completeExceptionally(e));
            return;
        }
        observer.ran(items.size(), size, System.nanoTime() - started);
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(results.get(i));
        }
    }

    /** Refuses new items, runs those already queued, and stops the workers. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        for (Thread worker : workers) {
            try {
                worker.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
