package dev.streamtune.serving.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class LiveTrafficTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final LiveTraffic traffic = new LiveTraffic(now::get);

    @Test
    void quietCountsFromTheEndOfTheLastOfOverlappingCalls() {
        traffic.started();
        now.addAndGet(5);
        traffic.started();
        assertEquals(0, traffic.quietNanos());
        now.addAndGet(5);
        traffic.ended();
        now.addAndGet(100);
        assertEquals(0, traffic.quietNanos(), "one call is still in flight");
        traffic.ended();
        now.addAndGet(7);
        assertEquals(7, traffic.quietNanos());
        assertEquals(0, traffic.inFlight());
    }

    @Test
    void aShadowRunWaitsWhileAUsersCallIsInFlightAndStartsOnceItHasBeenQuiet() throws Exception {
        LiveTraffic real = new LiveTraffic(System::nanoTime);
        real.started();
        CompletableFuture<Long> waited = CompletableFuture.supplyAsync(() -> {
            long started = System.nanoTime();
            assertTrue(real.awaitQuiet(TimeUnit.MILLISECONDS.toNanos(20)));
            return System.nanoTime() - started;
        });
        Thread.sleep(100);
        assertFalse(waited.isDone(), "a call is in flight");
        long ended = System.nanoTime();
        real.ended();
        waited.get(5, TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - ended >= TimeUnit.MILLISECONDS.toNanos(20), "it waited the quiet period");
    }

    @Test
    void anInterruptedWaitSaysSo() throws Exception {
        traffic.started();
        boolean[] quiet = {true};
        Thread waiter = new Thread(() -> quiet[0] = traffic.awaitQuiet(1));
        waiter.start();
        waiter.interrupt();
        waiter.join(5_000);
        assertFalse(waiter.isAlive());
        assertFalse(quiet[0]);
    }
}
