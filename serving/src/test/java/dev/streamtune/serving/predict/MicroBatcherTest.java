package dev.streamtune.serving.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.streamtune.serving.RequestRejectedException;
import org.junit.jupiter.api.Test;

class MicroBatcherTest {

    private final List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());

    private MicroBatcher<List<Integer>, Integer> batcher(int maxBatch, Duration maxWait, int maxQueued,
                                                        MicroBatcher.BatchFunction<List<Integer>, Integer> function) {
        return new MicroBatcher<>("test", maxBatch, maxWait, maxQueued, 1, List::size, function,
                (items, units, nanos) -> { });
    }

    /** Sums each item; records which items ran together. */
    private List<Integer> sums(List<List<Integer>> items) {
        List<Integer> flat = new ArrayList<>();
        items.forEach(flat::addAll);
        batches.add(flat);
        return items.stream().map(i -> i.stream().mapToInt(Integer::intValue).sum()).toList();
    }

    @Test
    void gathersConcurrentSubmissionsIntoOneBatchAndAnswersEachItsOwnResult() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        try (var batcher = batcher(8, Duration.ofMillis(50), 100, items -> {
            gate.await(); // the first batch blocks until all later items are queued
            return sums(items);
        })) {
            CompletableFuture<Integer> first = batcher.submit(List.of(1));
            List<CompletableFuture<Integer>> rest = new ArrayList<>();
            Thread.sleep(100); // the first batch is running now, holding only item 1
            for (int i = 2; i <= 7; i++) {
                rest.add(batcher.submit(List.of(i, i)));
            }
            gate.countDown();
            assertEquals(1, first.get(5, TimeUnit.SECONDS));
            for (int i = 0; i < rest.size(); i++) {
                assertEquals(2 * (i + 2), rest.get(i).get(5, TimeUnit.SECONDS));
            }
        }
        assertEquals(List.of(1), batches.get(0));
        // 6 items of 2 texts with max 8 texts per batch: 4 + 2 items, in submission order
        assertEquals(List.of(2, 2, 3, 3, 4, 4, 5, 5), batches.get(1));
        assertEquals(List.of(6, 6, 7, 7), batches.get(2));
    }

    @Test
    void aLoneItemWaitsAtMostMaxWait() throws Exception {
        try (var batcher = batcher(32, Duration.ofMillis(20), 100, this::sums)) {
            long started = System.nanoTime();
            assertEquals(3, batcher.submit(List.of(3)).get(5, TimeUnit.SECONDS));
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(millis >= 15 && millis < 1000, "waited " + millis + " ms");
        }
    }

    @Test
    void aFullBatchDoesNotWait() throws Exception {
        try (var batcher = batcher(2, Duration.ofSeconds(10), 100, this::sums)) {
            long started = System.nanoTime();
            var a = batcher.submit(List.of(1));
            var b = batcher.submit(List.of(2));
            assertEquals(1, a.get(5, TimeUnit.SECONDS));
            assertEquals(2, b.get(5, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos());
        }
    }

    @Test
    void anItemHeavierThanABatchRunsAlone() throws Exception {
        try (var batcher = batcher(4, Duration.ofMillis(1), 100, this::sums)) {
            assertEquals(15, batcher.submit(List.of(1, 2, 3, 4, 5)).get(5, TimeUnit.SECONDS));
        }
        assertEquals(List.of(List.of(1, 2, 3, 4, 5)), batches);
    }

    @Test
    void aFailingBatchFailsEveryItemInItAndTheNextBatchRuns() throws Exception {
        try (var batcher = batcher(8, Duration.ofMillis(1), 100, items -> {
            if (items.get(0).get(0) < 0) {
                throw new IllegalStateException("boom");
            }
            return sums(items);
        })) {
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> batcher.submit(List.of(-1)).get(5, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, failed.getCause());
            assertEquals(4, batcher.submit(List.of(4)).get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void refusesWorkBeyondTheQueueLimit() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        try (var batcher = batcher(2, Duration.ZERO, 4, items -> {
            gate.await();
            return sums(items);
        })) {
            var running = batcher.submit(List.of(0, 0)); // taken by the worker, which then blocks
            Thread.sleep(100);
            var queued = batcher.submit(List.of(1, 1, 1));
            RequestRejectedException refused = assertThrows(RequestRejectedException.class,
                    () -> batcher.submit(List.of(2, 2)));
            assertEquals(RequestRejectedException.Reason.OVERLOADED, refused.reason());
            assertEquals(3, batcher.queued());
            gate.countDown();
            assertEquals(0, running.get(5, TimeUnit.SECONDS));
            assertEquals(3, queued.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void closeRunsWhatIsQueuedAndThenRefuses() throws Exception {
        var batcher = batcher(1, Duration.ZERO, 100, items -> {
            Thread.sleep(20);
            return sums(items);
        });
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            futures.add(batcher.submit(List.of(i)));
        }
        batcher.close();
        for (int i = 0; i < 5; i++) {
            assertEquals(i, futures.get(i).getNow(-1));
        }
        assertThrows(RequestRejectedException.class, () -> batcher.submit(List.of(9)));
    }
}
