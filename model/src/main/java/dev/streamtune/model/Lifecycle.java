package dev.streamtune.model;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Keeps native memory alive while it is in use: every use holds a shared lease, and closing waits for the leases
 * to drain before freeing. This is what makes hot-swapping adapters safe: the old one is closed while the last
 * requests on it finish.
 */
final class Lifecycle {

    private final String what;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;

    Lifecycle(String what) {
        this.what = what;
    }

    /** A shared lease; throws if already closed. Close the lease when done. */
    Lease acquire() {
        lock.readLock().lock();
        if (closed) {
            lock.readLock().unlock();
            throw new IllegalStateException(what + " is closed");
        }
        return lock.readLock()::unlock;
    }

    /** Runs {@code release} once, after all leases are returned; later calls do nothing. */
    void close(Runnable release) {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            release.run();
        } finally {
            lock.writeLock().unlock();
        }
    }

    boolean isClosed() {
        return closed;
    }

    interface Lease extends AutoCloseable {
        @Override
        void close();
    }
}
