package dev.streamtune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The logits of a fixed teacher classifier (for distillation: the previous approved adapter), computed once per text
 * and served from memory afterwards. The teacher does not change during a round, so repeated epochs and replayed
 * examples cost no further teacher passes; missing texts are computed in batches of similar length, in inference
 * mode (no dropout, no autograd graph).
 *
 * <p>Holds {@code labelCount()} floats per distinct text (plus the text itself). Does not own the teacher: close
 * the teacher after the last call. Thread-safe (calls are serialised).
 */
public final class TeacherLogits {

    private static final int BATCH = 64;

    private final TextClassifier teacher; // null for fixed logits
    private final List<String> labels;
    private final Map<String, float[]> cache = new HashMap<>();
    private long computedTexts;
    private long teacherBatches;

    public TeacherLogits(TextClassifier teacher) {
        this.teacher = teacher;
        this.labels = teacher.labels();
    }

    private TeacherLogits(List<String> labels, Map<String, float[]> logits) {
        this.teacher = null;
        this.labels = List.copyOf(labels);
        logits.forEach((text, values) -> {
            if (values.length != labels.size()) {
                throw new IllegalArgumentException(values.length + " logits for " + labels.size() + " labels");
            }
            cache.put(text, values.clone());
        });
    }

    /** Given logits for given texts, no teacher behind them (any other text is refused): for tests of the loss. */
    static TeacherLogits fixed(List<String> labels, Map<String, float[]> logits) {
        return new TeacherLogits(labels, logits);
    }

    /** The teacher's labels, in logit order: a prefix of the student's (heads grow by appending). */
    public List<String> labels() {
        return labels;
    }

    public int labelCount() {
        return labels.size();
    }

    /**
     * The teacher's raw logits (before softmax, no temperature) for each text, computing those not yet cached.
     *
     * @return {@code [texts.size()][labelCount()]}; the rows are the cache's own arrays: do not modify them
     */
    public synchronized float[][] logits(List<String> texts) {
        prefetch(texts);
        float[][] out = new float[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = cache.get(texts.get(i));
        }
        return out;
    }

    /**
     * Computes and caches the logits of every text not cached yet, e.g. a whole window before its first step (so a
     * training step never waits for the teacher).
     */
    public synchronized void prefetch(Collection<String> texts) {
        List<String> missing = new ArrayList<>(new LinkedHashSet<>(texts));
        missing.removeIf(cache::containsKey);
        if (missing.isEmpty()) {
            return;
        }
        if (teacher == null) {
            throw new IllegalArgumentException("no teacher logits for " + missing.size() + " texts");
        }
        int labels = labelCount();
        int maxLength = teacher.config().maxSequenceLength();
        try (Lifecycle.Lease lease = teacher.acquire(); Torch.Scope torch = Torch.enter(false)) {
            long[][] seqs = new long[missing.size()][];
            for (int i = 0; i < seqs.length; i++) {
                seqs[i] = TokenBatch.encode(teacher.base().tokenizer(), missing.get(i), maxLength);
            }
            // Similar lengths together: less compute on padding (as TextClassifier.predict batches).
            Integer[] order = new Integer[seqs.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingInt(i -> seqs[i].length));
            for (int from = 0; from < order.length; from += BATCH) {
                int to = Math.min(order.length, from + BATCH);
                long[][] chunk = new long[to - from][];
                for (int i = from; i < to; i++) {
                    chunk[i - from] = seqs[order[i]];
                }
                float[] values;
                try (NDManager request = teacher.manager().newSubManager()) {
                    NDList inputs = TokenBatch.of(chunk, maxLength).toInputs(request);
                    NDArray logits = teacher.classifierBlock()
                            .forward(new ParameterStore(request, false), inputs, false).head();
                    values = logits.toFloatArray();
                }
                for (int i = from; i < to; i++) {
                    int k = i - from;
                    cache.put(missing.get(order[i]), Arrays.copyOfRange(values, k * labels, (k + 1) * labels));
                }
                teacherBatches++;
            }
            computedTexts += missing.size();
        }
    }

    /** Distinct texts cached. */
    public synchronized int size() {
        return cache.size();
    }

    /** Texts run through the teacher so far (each at most once). */
    public synchronized long computedTexts() {
        return computedTexts;
    }

    /** Teacher forward passes (batches) so far. */
    public synchronized long teacherBatches() {
        return teacherBatches;
    }
}
