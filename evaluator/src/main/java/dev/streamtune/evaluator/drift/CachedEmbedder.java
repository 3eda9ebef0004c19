package dev.streamtune.evaluator.drift;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Sentence embeddings by item key, remembered: a reference window's sample is compared with every later window, so
 * its texts are embedded once, not once per report.
 */
public final class CachedEmbedder implements DriftDetector.Embedder {

    private final Function<List<String>, float[][]> model;
    private final LinkedHashMap<String, float[]> remembered;
    private long embeddingNanos;

    /** @param capacity embeddings kept, least recently used dropped first (384 floats each for MiniLM) */
    public CachedEmbedder(Function<List<String>, float[][]> model, int capacity) {
        this.model = model;
        this.remembered = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public float[][] embed(List<DriftItem> items) {
        float[][] out = new float[items.size()][];
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            out[i] = remembered.get(cacheKey(items.get(i)));
            if (out[i] == null) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            long started = System.nanoTime();
            float[][] computed = model.apply(missing.stream().map(i -> items.get(i).text()).toList());
            embeddingNanos += System.nanoTime() - started;
            for (int j = 0; j < computed.length; j++) {
                int i = missing.get(j);
                out[i] = computed[j];
                remembered.put(cacheKey(items.get(i)), computed[j]);
            }
        }
        return out;
    }

    /** Time spent in the model so far (not thread-safe: read on the thread that embeds). */
    public long embeddingNanos() {
        return embeddingNanos;
    }

    /** Keys name a text within its kind only (a content hash, a request id), so the text is part of the key. */
    private static String cacheKey(DriftItem item) {
        return item.key() + '\0' + item.text().hashCode();
    }
}
