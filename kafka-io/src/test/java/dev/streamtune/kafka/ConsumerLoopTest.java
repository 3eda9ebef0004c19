package dev.streamtune.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class ConsumerLoopTest {

    @Test
    void aTransientFaultIsRetriedCountedAndClearedByProgress() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch working = new CountDownLatch(1);
        ConsumerLoop[] loop = new ConsumerLoop[1];
        loop[0] = ConsumerLoop.recovering("test-loop", true, () -> {
            if (attempts.incrementAndGet() <= 2) {
                throw new TimeoutException("broker unreachable");
            }
            loop[0].progressed();
            working.countDown();
            while (loop[0].running()) {
                Thread.sleep(10);
            }
        });
        loop[0].start();
        assertTrue(working.await(10, TimeUnit.SECONDS), "third attempt runs after two faults");
        assertEquals(2, loop[0].faults());
        assertNull(loop[0].ongoingFault(), "progress ended the episode");
        assertTrue(loop[0].alive());
        loop[0].stop(Duration.ofSeconds(5));
        assertFalse(loop[0].alive());
    }

    @Test
    void aFatalFaultEndsTheLoopAndSaysWhy() throws Exception {
        ConsumerLoop loop = ConsumerLoop.recovering("test-loop", true, () -> {
            throw new SaslAuthenticationException("bad password");
        });
        loop.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (loop.alive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(loop.alive());
        assertNotNull(loop.fatalFault());
        assertTrue(loop.fatalFault().contains("bad password"), loop.fatalFault());
        assertEquals(0, loop.faults());
    }

    @Test
    void stopEndsABackoffAtOnce() throws Exception {
        CountDownLatch failed = new CountDownLatch(3);
        ConsumerLoop loop = ConsumerLoop.recovering("test-loop", true, () -> {
            failed.countDown();
            throw new UncheckedIOException(new IOException("disk full"));
        });
        loop.start();
        assertTrue(failed.await(10, TimeUnit.SECONDS));
        assertNotNull(loop.ongoingFault());
        long started = System.nanoTime();
        loop.stop(Duration.ofSeconds(10));
        assertFalse(loop.alive());
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(2), "the stop did not wait out the backoff");
    }
}
