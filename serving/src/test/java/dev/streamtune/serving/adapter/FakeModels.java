package dev.streamtune.serving.adapter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.streamtune.model.AdapterLoadException;
import dev.streamtune.model.BaseModelMismatchException;
import dev.streamtune.model.CorruptAdapterException;
import dev.streamtune.model.Prediction;
import dev.streamtune.model.TextPredictor;
import dev.streamtune.schema.Deployment;

/**
 * A loader of fake models whose behaviour is chosen by the artifact URI (corrupt, otherbase, answers-negative, held),
 * and that notice use after close.
 */
public final class FakeModels implements AdapterLoader {

    static final class FakeModel implements TextPredictor {
        final String adapterId;
        final AtomicBoolean closed = new AtomicBoolean();
        final AtomicInteger usedAfterClose = new AtomicInteger();
        private final float[] probabilities;
        private final CountDownLatch held;

        FakeModel(String adapterId, boolean answersNegative, CountDownLatch held) {
            this.adapterId = adapterId;
            this.probabilities = answersNegative ? new float[] {0.9f, 0.1f} : new float[] {0.25f, 0.75f};
            this.held = held;
        }

        @Override
        public List<Prediction> predict(List<String> texts) {
            if (closed.get()) {
                usedAfterClose.incrementAndGet();
                throw new IllegalStateException(adapterId + " is closed");
            }
            if (held != null) {
                try {
                    held.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            List<Prediction> out = new ArrayList<>();
            texts.forEach(t -> out.add(new Prediction(labels(), probabilities)));
            return out;
        }

        @Override
        public List<String> labels() {
            return List.of("negative", "positive");
        }

        @Override
        public Map<String, String> lineage() {
            return Map.of("adapter", adapterId);
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                throw new IllegalStateException(adapterId + " closed twice");
            }
        }
    }

    final Map<String, FakeModel> loaded = new ConcurrentHashMap<>();
    final AtomicInteger loads = new AtomicInteger();
    /** When set, loads wait for it: lets a test hold a load in progress. */
    volatile CountDownLatch gate;
    /** Forward passes of models whose artifact URI says "held" wait for it: lets a test hold one in progress. */
    private final CountDownLatch heldPasses = new CountDownLatch(1);

    @Override
    public TextPredictor load(Deployment deployment) throws AdapterLoadException {
        loads.incrementAndGet();
        CountDownLatch g = gate;
        if (g != null) {
            try {
                g.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String uri = deployment.getArtifactUri();
        if (uri.contains("corrupt")) {
            throw new CorruptAdapterException("bad bytes in " + uri);
        }
        if (uri.contains("otherbase")) {
            throw new BaseModelMismatchException("trained on another base");
        }
        FakeModel model = new FakeModel(deployment.getAdapterId(), uri.contains("answers-negative"),
                uri.contains("held") ? heldPasses : null);
        loaded.put(deployment.getAdapterId(), model);
        return model;
    }

    /** Lets the held models' forward passes run. */
    public void releaseHeldPasses() {
        heldPasses.countDown();
    }

    @Override
    public String baseModelId() {
        return "fake-base";
    }

    @Override
    public String baseModelChecksum() {
        return "00";
    }

    static Deployment deployment(String task, String adapterId, String uri) {
        return Deployment.newBuilder().setTask(task).setAdapterId(adapterId).setArtifactUri(uri)
                .setArtifactSha256("ab").setBaseModelId("fake-base").setDecisionId("d-" + adapterId)
                .setDeployedAt(Instant.parse("2026-01-01T00:00:00Z")).build();
    }
}
