package dev.streamtune.serving.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import dev.streamtune.schema.Deployment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdapterRegistryTest {

    private final FakeModels loader = new FakeModels();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final AdapterRegistry registry = new AdapterRegistry(loader, new AdapterRegistry.Listener() {
        @Override
        public void swapped(ServedAdapter previous, ServedAdapter current, Duration loadTime) {
            events.add("swapped " + current.adapterId());
        }

        @Override
        public void failed(SwapFailure failure) {
            events.add("failed " + failure.adapterId() + " " + failure.kind());
        }

        @Override
        public void superseded(Deployment deployment) {
            events.add("superseded " + deployment.getAdapterId());
        }
    }, Clock.systemUTC());

    @AfterEach
    void close() {
        registry.close();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }

    /** Listeners are told just after the state changes, so wait for them. */
    private void assertEvents(String... expected) throws InterruptedException {
        await(() -> events.size() >= expected.length);
        assertEquals(List.of(expected), events);
    }

    private String serving(String task) {
        return registry.current(task).map(ServedAdapter::adapterId).orElse(null);
    }

    @Test
    void servesNothingUntilTheFirstAdapterIsLoaded() throws Exception {
        assertTrue(registry.lease("t").isEmpty());
        registry.deploy(FakeModels.deployment("t", "a1", "file:/a1"));
        await(() -> "a1".equals(serving("t")));
        try (AdapterLease lease = registry.lease("t").orElseThrow()) {
            assertEquals("a1", lease.adapter().adapterId());
            assertEquals(0.75f, lease.model().predict(List.of("x")).get(0).confidence());
        }
        // The count drops just after the swap becomes visible (the loader thread's finally): let it settle.
        await(() -> registry.pendingLoads() == 0);
        assertEquals(0, registry.pendingLoads());
    }

    @Test
    void theOldAdapterClosesOnlyAfterItsLastLeaseIsReturned() throws Exception {
        registry.deploy(FakeModels.deployment("t", "a1", "file:/a1"));
        await(() -> "a1".equals(serving("t")));
        AdapterLease inFlight = registry.lease("t").orElseThrow();

        registry.deploy(FakeModels.deployment("t", "a2", "file:/a2"));
        await(() -> "a2".equals(serving("t")));
        FakeModels.FakeModel old = loader.loaded.get("a1");
        assertFalse(old.closed.get(), "closed under an in-flight request");
        assertEquals(1, inFlight.adapter().inFlight());
        inFlight.model().predict(List.of("still works"));
        try (AdapterLease next = registry.lease("t").orElseThrow()) {
            assertEquals("a2", next.adapter().adapterId(), "new requests go to the new adapter at once");
        }

        inFlight.close();
        inFlight.close(); // idempotent
        await(old.closed::get);
        assertTrue(inFlight.adapter().isClosed());
        assertEquals(0, old.usedAfterClose.get());
        assertEvents("swapped a1", "swapped a2");
    }

    @Test
    void aCorruptOrWrongBaseAdapterIsRejectedAndTheOldOneKeepsServing() throws Exception {
        registry.deploy(FakeModels.deployment("t", "good", "file:/good"));
        await(() -> "good".equals(serving("t")));
        registry.deploy(FakeModels.deployment("t", "bad", "file:/corrupt"));
        await(() -> registry.lastFailure("t").isPresent());
        assertEquals("good", serving("t"));
        assertEquals("CORRUPT", registry.lastFailure("t").orElseThrow().kind());
        assertTrue(registry.pending("t").isEmpty());

        registry.deploy(FakeModels.deployment("t", "alien", "file:/otherbase"));
        await(() -> registry.lastFailure("t").orElseThrow().adapterId().equals("alien"));
        assertEquals("WRONG_BASE", registry.lastFailure("t").orElseThrow().kind());
        assertEquals("good", serving("t"));
        assertFalse(loader.loaded.get("good").closed.get());
        assertEvents("swapped good", "failed bad CORRUPT", "failed alien WRONG_BASE");
    }

    @Test
    void republishingTheServedAdapterUpdatesItWithoutReloading() throws Exception {
        registry.deploy(FakeModels.deployment("t", "a1", "file:/a1"));
        await(() -> "a1".equals(serving("t")));
        Deployment pinned = Deployment.newBuilder(FakeModels.deployment("t", "a1", "file:/a1")).setPinned(true).build();
        registry.deploy(pinned);
        assertTrue(registry.current("t").orElseThrow().deployment().getPinned());
        assertEquals(1, loader.loads.get());
    }

    @Test
    void deploymentsArrivingWhileOneLoadsAreCollapsedToTheLatest() throws Exception {
        registry.deploy(FakeModels.deployment("t", "a1", "file:/a1"));
        await(() -> "a1".equals(serving("t")));
        CountDownLatch gate = new CountDownLatch(1);
        loader.gate = gate;
        registry.deploy(FakeModels.deployment("t", "a2", "file:/a2")); // starts loading, held at the gate
        await(() -> loader.loads.get() == 2);
        registry.deploy(FakeModels.deployment("t", "a3", "file:/a3"));
        registry.deploy(FakeModels.deployment("t", "a4", "file:/a4"));
        assertEquals("a4", registry.pending("t").orElseThrow().getAdapterId());
        loader.gate = null;
        gate.countDown();
        await(() -> "a4".equals(serving("t")) && registry.pendingLoads() == 0);
        assertTrue(loader.loaded.get("a2").closed.get(), "a superseded load is released");
        assertFalse(loader.loaded.containsKey("a3"), "a deployment superseded before its load began is skipped");
        assertEvents("swapped a1", "superseded a2", "superseded a3", "swapped a4");
    }

    @Test
    void theSameArtifactRepublishedWhileItLoadsIsServedWithTheLatestRecord() throws Exception {
        registry.deploy(FakeModels.deployment("t", "a1", "file:/a1"));
        await(() -> "a1".equals(serving("t")));
        CountDownLatch gate = new CountDownLatch(1);
        loader.gate = gate;
        registry.deploy(FakeModels.deployment("t", "a2", "file:/a2")); // starts loading, held at the gate
        await(() -> loader.loads.get() == 2);
        // e.g. the evaluator starts a waiting rollout on the new champion at once: same artifact, new record
        Deployment republished = Deployment.newBuilder(FakeModels.deployment("t", "a2", "file:/a2"))
                .setDecisionId("later").build();
        registry.deploy(republished);
        loader.gate = null;
        gate.countDown();
        await(() -> "a2".equals(serving("t")) && registry.pendingLoads() == 0);
        assertEquals("later", registry.current("t").orElseThrow().deployment().getDecisionId());
        assertEquals(2, loader.loads.get(), "loaded once");
        assertEvents("swapped a1", "swapped a2");
    }

    @Test
    void tasksAreIndependent() throws Exception {
        registry.deploy(FakeModels.deployment("a", "x1", "file:/x1"));
        registry.deploy(FakeModels.deployment("b", "y1", "file:/corrupt"));
        await(() -> registry.pendingLoads() == 0);
        assertEquals("x1", serving("a"));
        assertEquals(null, serving("b"));
        assertEquals(Set.of("a", "b"), registry.tasks());
    }

    @Test
    void underConcurrentLeasesAndSwapsNoModelIsUsedAfterCloseAndEveryOldOneCloses() throws Exception {
        registry.deploy(FakeModels.deployment("t", "v0", "file:/v0"));
        await(() -> "v0".equals(serving("t")));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread client = new Thread(() -> {
                while (!stop.get()) {
                    try (AdapterLease lease = registry.lease("t").orElseThrow()) {
                        lease.model().predict(List.of("x"));
                        seen.add(lease.adapter().adapterId());
                        calls.incrementAndGet();
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                    }
                }
            });
            client.start();
            clients.add(client);
        }
        for (int v = 1; v <= 50; v++) {
            registry.deploy(FakeModels.deployment("t", "v" + v, "file:/v" + v));
            String expected = "v" + v;
            await(() -> expected.equals(serving("t")));
        }
        stop.set(true);
        for (Thread client : clients) {
            client.join();
        }
        assertEquals(0, failures.get(), "failed calls out of " + calls.get());
        for (int v = 0; v < 50; v++) {
            FakeModels.FakeModel old = loader.loaded.get("v" + v);
            await(old.closed::get);
            assertEquals(0, old.usedAfterClose.get());
        }
        assertFalse(loader.loaded.get("v50").closed.get());
        assertTrue(seen.size() > 1, "clients saw swaps: " + seen.size());
    }
}
