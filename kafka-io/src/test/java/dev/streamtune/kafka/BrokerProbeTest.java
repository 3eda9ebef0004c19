package dev.streamtune.kafka;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The probe with a real Admin client against a port where no broker listens (BrokerProbeIT covers UP). */
class BrokerProbeTest {

    @Test
    void aClosedPortIsReportedUnreachableWithinTheTimeoutAndTheAnswerIsReused() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (BrokerProbe probe = new BrokerProbe(KafkaConnection.plaintext("127.0.0.1:" + port), Duration.ofMillis(500), Duration.ofSeconds(30))) {
            long started = System.nanoTime();
            BrokerProbe.Reachability first = probe.check();
            assertFalse(first.reachable(), first.detail());
            assertTrue(first.detail().contains("127.0.0.1:" + port), first.detail());
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos(), "the check is bounded");
            assertSame(first, probe.check(), "a recent answer is reused");
        }
    }
}
