package dev.streamtune.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class DeferredStartTest {

    private final CountDownLatch catalogueRead = new CountDownLatch(1);
    private final AtomicInteger starts = new AtomicInteger();
    private final DeferredStart.Catalogue catalogue =
            timeout -> catalogueRead.await(timeout.toMillis(), TimeUnit.MILLISECONDS);

    @Test
    void startsOnlyOnceTheCatalogueHasBeenRead() throws Exception {
        try (DeferredStart start = new DeferredStart(catalogue, starts::incrementAndGet, Duration.ofMillis(20))
                .begin("test-start")) {
            Thread.sleep(200); // several wait periods, each logged, none starting
            assertFalse(start.started());
            catalogueRead.countDown();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!start.started() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(start.started());
        }
        assertEquals(1, starts.get(), "started once");
    }

    @Test
    void closedBeforeTheCatalogueIsReadItNeverStarts() throws Exception {
        DeferredStart start = new DeferredStart(catalogue, starts::incrementAndGet, Duration.ofSeconds(30))
                .begin("test-start");
        start.close();
        catalogueRead.countDown();
        Thread.sleep(100);
        assertFalse(start.started());
        assertEquals(0, starts.get());
    }
}
