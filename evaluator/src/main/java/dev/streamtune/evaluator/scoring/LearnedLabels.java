package dev.streamtune.evaluator.scoring;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The labels an adapter was trained to answer, and how we know. A head declares every label of a task up front, so
 * its labels alone do not say which classes an adapter can answer: the adapter file records the labels it has seen
 * training examples for. Files written before that record fall back to the labels of the windows the adapter (and
 * its ancestors, through replay) was trained on, and failing that to every label of the head.
 */
public record LearnedLabels(Set<String> labels, Source source) {

    public enum Source {
        /** Recorded in the adapter file by the trainer. */
        ADAPTER,
        /** Labels of the task's windows up to the adapter's last one (adapter files older than the record). */
        WINDOWS,
        /** Every label of the head: nothing better was known. */
        HEAD;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public LearnedLabels {
        labels = Set.copyOf(new TreeSet<>(labels));
    }

    /**
     * @param windowLabels labels of the windows up to the adapter's last one; empty when those are not known
     */
    public static LearnedLabels of(AdapterScorer adapter, Collection<String> windowLabels) {
        if (adapter.learnedLabels().isPresent()) {
            return new LearnedLabels(Set.copyOf(adapter.learnedLabels().get()), Source.ADAPTER);
        }
        Set<String> fromWindows = new TreeSet<>(windowLabels);
        fromWindows.retainAll(adapter.labels());
        return fromWindows.isEmpty() ? new LearnedLabels(Set.copyOf(adapter.labels()), Source.HEAD)
                : new LearnedLabels(fromWindows, Source.WINDOWS);
    }

    public boolean contains(String label) {
        return labels.contains(label);
    }
}
