package dev.streamtune.model;

import java.util.ArrayList;
import java.util.Collection;
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

    private final TextClassifier teacher; // null for fixed logits
    private final List<String> labels;
    private final Map<String, float[]> cache = new HashMap<>();
    private long computedTexts;
    private long teacherBatches;

    public TeacherLogits(TextClassifier teacher) {
        this(teacher, teacher.labels().size());
    }

    /**
     * The teacher's first {@code labelCount} logits only: the labels it had learned, when its head also has rows it
     * was never trained on (labels declared ahead of their examples, or just grown), whose logits teach nothing.
     */
    public TeacherLogits(TextClassifier teacher, int labelCount) {
        if (labelCount < 1 || labelCount > teacher.labels().size()) {
            throw new IllegalArgumentException("a teacher of " + teacher.labels().size() + " labels cannot give "
                    + labelCount);
        }
        this.teacher = teacher;
        this.labels = List.copyOf(teacher.labels().subList(0, labelCount));
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
        float[][] logits = InferencePass.run(teacher, missing, InferencePass.Output.LOGITS);
        for (int i = 0; i < logits.length; i++) {
            cache.put(missing.get(i), logits[i].length == labels.size() ? logits[i]
                    : java.util.Arrays.copyOf(logits[i], labels.size()));
        }
        teacherBatches += InferencePass.batches(missing.size());
        computedTexts += missing.size();
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
