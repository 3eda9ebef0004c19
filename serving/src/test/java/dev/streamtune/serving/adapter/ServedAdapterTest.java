package dev.streamtune.serving.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ServedAdapterTest {

    private final List<Runnable> closes = new ArrayList<>();
    private final FakeModels.FakeModel model = new FakeModels.FakeModel("a1", false, null);
    private final ServedAdapter adapter = new ServedAdapter(FakeModels.deployment("t", "a1", "file:/a1"), model,
            Instant.EPOCH, closes::add);

    @Test
    void closesOnTheCloserOnceTheRegistryAndEveryLeaseLetGo() {
        assertTrue(adapter.tryAcquire());
        assertTrue(adapter.tryAcquire());
        assertEquals(2, adapter.inFlight());
        adapter.retire();
        adapter.retire(); // only the first retire drops the registry's reference
        assertEquals(2, adapter.inFlight());
        adapter.release();
        assertTrue(closes.isEmpty());
        adapter.release();
        assertEquals(1, closes.size(), "closed after the last lease, on the closer");
        assertTrue(adapter.isClosed());
        closes.get(0).run();
        assertTrue(model.closed.get());
    }

    @Test
    void cannotBeLeasedOnceClosed() {
        adapter.retire();
        assertFalse(adapter.tryAcquire());
        assertThrows(IllegalStateException.class, adapter::release, "a release without an acquire is a bug");
    }

    @Test
    void closesInlineWhenTheCloserIsGone() {
        ServedAdapter orphan = new ServedAdapter(FakeModels.deployment("t", "a2", "file:/a2"), model, Instant.EPOCH,
                task -> {
                    throw new java.util.concurrent.RejectedExecutionException("shut down");
                });
        orphan.retire();
        assertTrue(model.closed.get());
    }
}
