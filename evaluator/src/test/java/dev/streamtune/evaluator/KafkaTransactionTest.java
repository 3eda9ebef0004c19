package dev.streamtune.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class KafkaTransactionTest {

    /** A producer whose first commits time out, as when the broker is away for longer than max.block.ms. */
    private static final class BrokerAwayProducer extends MockProducer<byte[], byte[]> {
        private int timeoutsLeft;
        private int abortCalls;

        BrokerAwayProducer(int commitTimeouts) {
            super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
            this.timeoutsLeft = commitTimeouts;
            initTransactions();
        }

        @Override
        public void commitTransaction() {
            if (timeoutsLeft > 0) {
                timeoutsLeft--;
                throw new TimeoutException("Timeout expired after 60000ms while awaiting EndTxn(true)");
            }
            super.commitTransaction();
        }

        @Override
        public void abortTransaction() {
            abortCalls++;
            super.abortTransaction();
        }
    }

    private static Runnable sendOne(MockProducer<byte[], byte[]> producer) {
        return () -> producer.send(new ProducerRecord<>("promotion.decisions", new byte[] {1}, new byte[] {2}));
    }

    @Test
    void commitThatTimesOutIsRetriedUntilItCompletesAndNeverAborted() {
        BrokerAwayProducer producer = new BrokerAwayProducer(3);

        KafkaTransaction.run(producer, sendOne(producer), () -> true);

        assertTrue(producer.transactionCommitted());
        assertEquals(0, producer.abortCalls);
        assertEquals(1, producer.history().size());
    }

    @Test
    void commitTimeoutWhileStoppingIsRethrownWithoutAbort() {
        BrokerAwayProducer producer = new BrokerAwayProducer(1);

        assertThrows(TimeoutException.class, () -> KafkaTransaction.run(producer, sendOne(producer), () -> false));
        assertEquals(0, producer.abortCalls);
    }

    @Test
    void failedSendAbortsTheTransactionAndIsRethrown() {
        BrokerAwayProducer producer = new BrokerAwayProducer(0);

        assertThrows(KafkaException.class, () -> KafkaTransaction.run(producer, () -> {
            sendOne(producer).run();
            throw new KafkaException("record too large");
        }, () -> true));
        assertTrue(producer.transactionAborted());
        assertFalse(producer.transactionCommitted());
        assertTrue(producer.history().isEmpty());
    }
}
