package dev.streamtune.kafka;

import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transactional producer that outlives its faults. Each {@link #inTransaction} is retried with the loop's backoff
 * until it commits, so a decision built once is written once: an aborted attempt leaves nothing visible to
 * read_committed readers. A fenced producer (another one initialised our transactional id) is closed and replaced by
 * a fresh one, whose {@code initTransactions()} fences the intruder in turn. A commit that timed out is retried as a
 * commit, never aborted and resent: it may already have been written.
 */
public final class TransactionalWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionalWriter.class);

    private final Supplier<KafkaProducer<byte[], byte[]>> factory;
    private final ConsumerLoop loop;
    private KafkaProducer<byte[], byte[]> producer;
    private long recreated;

    /**
     * @param factory makes a new transactional producer (always with the same transactional id)
     * @param loop    the loop that writes: its backoff paces retries and its stop ends them
     */
    public TransactionalWriter(Supplier<KafkaProducer<byte[], byte[]>> factory, ConsumerLoop loop) {
        this.factory = factory;
        this.loop = loop;
    }

    /**
     * Runs {@code sends} in one transaction and commits it, retrying the whole transaction after an abortable or
     * fencing fault.
     *
     * @throws ConsumerLoop.StopRequested when the loop is stopped before the transaction commits
     * @throws KafkaException             for a fatal fault ({@link KafkaFaults#isFatal})
     */
    public void inTransaction(Consumer<KafkaProducer<byte[], byte[]>> sends) {
        while (true) {
            KafkaProducer<byte[], byte[]> current;
            try {
                current = producer();
                current.beginTransaction();
                sends.accept(current);
            } catch (KafkaException fault) {
                failed(fault);
                continue;
            } catch (RuntimeException refused) {
                abortQuietly(); // the sends themselves refused (bad input, a bug): nothing to retry
                throw refused;
            }
            if (commit(current)) {
                loop.progressed();
                return;
            }
        }
    }

    /** @return true once committed; false when the transaction must be started over */
    private boolean commit(KafkaProducer<byte[], byte[]> current) {
        while (true) {
            try {
                current.commitTransaction();
                return true;
            } catch (TimeoutException unknownOutcome) {
                if (!loop.running()) {
                    throw new ConsumerLoop.StopRequested();
                }
                loop.retryAfter(unknownOutcome, "committing a transaction");
            } catch (KafkaException fault) {
                failed(fault);
                return false;
            }
        }
    }

    private void failed(KafkaException fault) {
        if (KafkaFaults.isFatal(fault)) {
            throw fault;
        }
        if (KafkaFaults.isFenced(fault)) {
            LOG.warn("Transactional producer fenced ({}): replacing it; the transaction is retried", fault.toString());
            discard();
        } else {
            abortQuietly();
        }
        loop.retryAfter(fault, "a transaction");
    }

    private void abortQuietly() {
        if (producer != null) {
            try {
                producer.abortTransaction();
            } catch (KafkaException cannotAbort) {
                discard(); // a new producer's initTransactions() aborts what this one left open
            }
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            KafkaProducer<byte[], byte[]> fresh = factory.get();
            try {
                fresh.initTransactions();
            } catch (RuntimeException e) {
                fresh.close(java.time.Duration.ZERO);
                throw e;
            }
            producer = fresh;
        }
        return producer;
    }

    private void discard() {
        if (producer != null) {
            try {
                producer.close(java.time.Duration.ZERO);
            } catch (RuntimeException ignored) {
                // it is being replaced
            }
            producer = null;
            recreated++;
        }
    }

    /** How many times the producer was replaced (fenced, or left in a state it could not abort). */
    public long recreated() {
        return recreated;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close();
            producer = null;
        }
    }
}
