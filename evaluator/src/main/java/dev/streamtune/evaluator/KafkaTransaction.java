package dev.streamtune.evaluator;

import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One transaction of the evaluator's writes (a decision with its deployment, a drift report with its retrain
 * request). A commit or abort that times out because the broker is away for longer than {@code max.block.ms} is
 * retried until it completes: the producer refuses every other call after such a timeout (aborting after a timed-out
 * commit throws IllegalStateException), and the commit may already be half-applied on the broker.
 */
final class KafkaTransaction {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTransaction.class);

    private KafkaTransaction() {
    }

    /**
     * Sends inside one transaction and commits it; aborts it and rethrows if a send or the commit fails for any
     * reason other than a timeout.
     *
     * @param keepTrying false once the caller is stopping: a timeout is then rethrown instead of retried
     */
    static void run(Producer<byte[], byte[]> producer, Runnable sends, BooleanSupplier keepTrying) {
        producer.beginTransaction();
        try {
            sends.run();
        } catch (RuntimeException e) {
            retryingTimeouts(producer::abortTransaction, "abort", keepTrying);
            throw e;
        }
        try {
            retryingTimeouts(producer::commitTransaction, "commit", keepTrying);
        } catch (TimeoutException stopping) {
            throw stopping; // the caller is stopping with the commit unresolved; an abort would be refused
        } catch (RuntimeException e) {
            retryingTimeouts(producer::abortTransaction, "abort", keepTrying);
            throw e;
        }
    }

    private static void retryingTimeouts(Runnable step, String what, BooleanSupplier keepTrying) {
        while (true) {
            try {
                step.run();
                return;
            } catch (TimeoutException brokerAway) {
                if (!keepTrying.getAsBoolean()) {
                    throw brokerAway;
                }
                LOG.warn("Transaction {} timed out (broker unreachable?); retrying: {}", what, brokerAway.getMessage());
            }
        }
    }
}
