package dev.streamtune.evaluator.scoring;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import dev.streamtune.schema.CleanExample;

/**
 * Adapters' answers on evaluation examples, remembered by adapter id and example content hash. A published adapter
 * never changes (its id names one artifact, opened only if its checksum matches) and neither does an example's text,
 * so an answer holds for good: the champion's answers on the retention and canary sets are computed once (when it was
 * itself judged as a candidate) and reused each time it is compared with a new one, instead of scoring it again for
 * every candidate. Judging then costs one pass of the candidate over what it has not answered, and no longer grows
 * with the champion's sets.
 *
 * <p>Bounded: the {@code maxAdapters} most recently used adapters, each with at most {@code maxAnswers} answers (an
 * adapter over it starts afresh: the sets it is asked about are bounded, so this only drops answers on examples that
 * left them).
 */
public final class AnswerMemo {

    /** What an adapter answered on one example: its most probable label and that label's probability. */
    public record Answer(String label, double probability) {
    }

    private final int maxAnswers;
    /** Access-ordered, so the eldest entry is the least recently used adapter. */
    private final LinkedHashMap<String, Map<String, Answer>> adapters;
    private long computed;
    private long reused;

    public AnswerMemo(int maxAdapters, int maxAnswers) {
        if (maxAdapters < 1 || maxAnswers < 1) {
            throw new IllegalArgumentException("need room for at least one adapter and one answer: " + maxAdapters
                    + " adapters, " + maxAnswers + " answers");
        }
        this.maxAnswers = maxAnswers;
        this.adapters = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Map<String, Answer>> eldest) {
                return size() > maxAdapters;
            }
        };
    }

    /**
     * The answers of {@code scorer}, the adapter {@code adapterId}, on {@code examples}, in their order. Only the
     * examples it has not answered yet run through the model, in one call.
     */
    public synchronized List<Answer> answers(String adapterId, AdapterScorer scorer, List<CleanExample> examples) {
        Map<String, Answer> known = adapters.computeIfAbsent(adapterId, id -> new HashMap<>());
        LinkedHashMap<String, String> missing = new LinkedHashMap<>(); // content hash -> text, each once
        for (CleanExample example : examples) {
            if (!known.containsKey(example.getContentHash())) {
                missing.putIfAbsent(example.getContentHash(), example.getText());
            }
        }
        if (known.size() + missing.size() > maxAnswers) {
            known.clear();
            missing.clear();
            examples.forEach(example -> missing.putIfAbsent(example.getContentHash(), example.getText()));
        }
        if (!missing.isEmpty()) {
            List<Map<String, Double>> probabilities = scorer.predict(new ArrayList<>(missing.values()));
            if (probabilities.size() != missing.size()) {
                throw new IllegalStateException("adapter " + adapterId + " gave " + probabilities.size()
                        + " answers for " + missing.size() + " texts");
            }
            int i = 0;
            for (String hash : missing.keySet()) {
                known.put(hash, top(probabilities.get(i++)));
            }
        }
        computed += missing.size();
        reused += new LinkedHashSet<>(examples.stream().map(CleanExample::getContentHash).toList()).size()
                - missing.size();
        List<Answer> answers = new ArrayList<>(examples.size());
        examples.forEach(example -> answers.add(known.get(example.getContentHash())));
        return answers;
    }

    /** Answers computed by a model since this memo was made (each example once per adapter). */
    public synchronized long computed() {
        return computed;
    }

    /** Answers served from memory instead of running a model. */
    public synchronized long reused() {
        return reused;
    }

    private static Answer top(Map<String, Double> probabilities) {
        Map.Entry<String, Double> best = probabilities.entrySet().stream().max(Map.Entry.comparingByValue())
                .orElseThrow(() -> new IllegalStateException("Scorer returned no probabilities"));
        return new Answer(best.getKey(), Math.min(1, Math.max(0, best.getValue())));
    }
}
