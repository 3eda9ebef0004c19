package dev.streamtune.kafka;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class KafkaFaultsTest {

    @Test
    void anUnreachableBrokerAFailedWriteAndAFenceAreTransient() {
        assertFalse(KafkaFaults.isFatal(new TimeoutException("no broker")));
        assertFalse(KafkaFaults.isFatal(new UncheckedIOException(new IOException("read-only file system"))));
        assertFalse(KafkaFaults.isFatal(new ProducerFencedException("fenced")));
        assertFalse(KafkaFaults.isFatal(new IllegalStateException("a rebalance callback failed")));
    }

    @Test
    void credentialsPermissionsAndJvmErrorsAreFatalEvenWhenWrapped() {
        assertTrue(KafkaFaults.isFatal(new SaslAuthenticationException("bad password")));
        assertTrue(KafkaFaults.isFatal(new KafkaException(new TopicAuthorizationException("no ACL"))));
        assertTrue(KafkaFaults.isFatal(new OutOfMemoryError()));
    }

    @Test
    void fencingIsRecognisedThroughWrappers() {
        assertTrue(KafkaFaults.isFenced(new ProducerFencedException("x")));
        assertTrue(KafkaFaults.isFenced(new KafkaException(new InvalidProducerEpochException("x"))));
        assertFalse(KafkaFaults.isFenced(new TimeoutException("x")));
    }
}
