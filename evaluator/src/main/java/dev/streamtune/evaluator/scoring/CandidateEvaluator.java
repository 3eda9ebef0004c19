package dev.streamtune.evaluator.scoring;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;

import dev.streamtune.evaluator.metrics.ClassificationScorer;
import dev.streamtune.evaluator.metrics.ScoredExample;
import dev.streamtune.evaluator.metrics.SliceScorer;
import dev.streamtune.evaluator.sets.EvaluationSets;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.EvaluationReport;
import dev.streamtune.schema.LabelScope;
import dev.streamtune.schema.ModelScores;

/**
 * Runs a candidate, and the champion if there is one, over the evaluation sets and assembles the report.
 *
 * <p>Champion and candidate are compared like with like: on the examples of labels the champion was trained on
 * ({@link LabelScope#getSharedCandidate()}, {@link LabelScope#getSharedChampion()}, and the backward transfer and
 * canary disagreement). Examples of labels only the candidate learned are scored for the candidate alone
 * ({@link LabelScope#getNewLabelMetrics()}): a champion that never learned a class scores zero on it, and whatever it
 * does there (e.g. a low, "well calibrated" confidence in a wrong answer) says nothing against the candidate.
 * Examples of labels neither learned are left out of both and listed.
 */
public final class CandidateEvaluator {

    private final EvaluationSets sets;
    private final SliceScorer sliceScorer;

    public CandidateEvaluator(EvaluationSets sets, SliceScorer sliceScorer) {
        this.sets = sets;
        this.sliceScorer = sliceScorer;
    }

    /**
     * @param challenger        the candidate's scorer
     * @param challengerLearned labels the candidate was trained on
     * @param championId        the deployed adapter's id, or null for a task's first adapter
     * @param champion          the deployed adapter's scorer, or null
     * @param championLearned   labels the champion was trained on, or null with no champion
     */
    public EvaluationReport evaluate(AdapterCandidate candidate, AdapterScorer challenger,
                                     LearnedLabels challengerLearned, String championId, AdapterScorer champion,
                                     LearnedLabels championLearned, Instant now) {
        String task = candidate.getTask();
        List<String> windows = candidate.getWindowIds();
        List<CleanExample> test = sets.test(task, windows);
        List<CleanExample> retention = sets.retention(task, windows);
        List<CleanExample> canary = sets.canary(task);

        List<ScoredExample> challengerTest = score(challenger, test);
        List<ScoredExample> challengerRetention = score(challenger, retention);
        EvaluationReport.Builder report = EvaluationReport.newBuilder()
                .setCandidateId(candidate.getCandidateId())
                .setTask(task)
                .setWindowId(windows.isEmpty() ? "" : windows.get(windows.size() - 1))
                .setEvaluatedAt(now)
                .setCandidate(modelScores(challengerTest, challengerRetention));
        if (champion == null) {
            return report.build();
        }
        List<ScoredExample> championTest = score(champion, test);
        List<ScoredExample> championRetention = score(champion, retention);
        report.setChampionId(championId).setChampion(modelScores(championTest, championRetention));

        Predicate<ScoredExample> shared = e -> championLearned.contains(e.actual());
        Predicate<ScoredExample> onlyCandidate = e -> !championLearned.contains(e.actual())
                && challengerLearned.contains(e.actual());
        List<ScoredExample> sharedRetention = only(challengerRetention, shared);
        if (!sharedRetention.isEmpty()) {
            report.setBackwardTransfer(accuracy(sharedRetention) - accuracy(only(championRetention, shared)));
        }
        List<CleanExample> sharedCanary = canary.stream().filter(e -> championLearned.contains(e.getLabel())).toList();
        if (!sharedCanary.isEmpty()) {
            report.setCanaryDisagreement(disagreement(challenger, champion, sharedCanary));
        }
        List<ScoredExample> newLabelExamples = Stream.concat(challengerTest.stream(), challengerRetention.stream())
                .filter(onlyCandidate).toList();
        TreeSet<String> newLabels = new TreeSet<>(challengerLearned.labels());
        newLabels.removeAll(championLearned.labels());
        TreeSet<String> unjudged = new TreeSet<>();
        Stream.of(test, retention, canary).flatMap(List::stream).map(CleanExample::getLabel)
                .filter(label -> !championLearned.contains(label) && !challengerLearned.contains(label))
                .forEach(unjudged::add);
        report.setLabelScope(LabelScope.newBuilder()
                .setChampionLabels(List.copyOf(new TreeSet<>(championLearned.labels())))
                .setChampionLabelsSource(championLearned.source().label())
                .setCandidateLabels(List.copyOf(new TreeSet<>(challengerLearned.labels())))
                .setCandidateLabelsSource(challengerLearned.source().label())
                .setNewLabels(List.copyOf(newLabels))
                .setNewLabelMetrics(newLabelExamples.isEmpty() ? null : ClassificationScorer.score(newLabelExamples))
                .setNewLabelBias(sliceScorer.bias(newLabelExamples))
                .setMajorityBaseline(majorityShare(test))
                .setUnjudgedLabels(List.copyOf(unjudged))
                .setSharedCandidate(modelScores(only(challengerTest, shared), sharedRetention))
                .setSharedChampion(modelScores(only(championTest, shared), only(championRetention, shared)))
                .build());
        return report.build();
    }

    private ModelScores modelScores(List<ScoredExample> test, List<ScoredExample> retention) {
        return ModelScores.newBuilder()
                .setTest(ClassificationScorer.score(test))
                .setRetention(retention.isEmpty() ? null : ClassificationScorer.score(retention))
                .setSlices(sliceScorer.slices(test))
                .setBias(sliceScorer.bias(test))
                .build();
    }

    static List<ScoredExample> score(AdapterScorer scorer, List<CleanExample> examples) {
        if (examples.isEmpty()) {
            return List.of();
        }
        List<Map<String, Double>> probabilities = scorer.predict(examples.stream().map(CleanExample::getText).toList());
        List<ScoredExample> scored = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            Map.Entry<String, Double> best = argmax(probabilities.get(i));
            CleanExample example = examples.get(i);
            scored.add(new ScoredExample(example.getLabel(), best.getKey(), Math.min(1, Math.max(0, best.getValue())),
                    example.getAttributes()));
        }
        return scored;
    }

    private static List<ScoredExample> only(List<ScoredExample> examples, Predicate<ScoredExample> which) {
        return examples.stream().filter(which).toList();
    }

    /** What always answering the test split's most common label scores on it. */
    private static double majorityShare(List<CleanExample> test) {
        return test.isEmpty() ? 1 : test.stream().collect(java.util.stream.Collectors.groupingBy(
                CleanExample::getLabel, java.util.stream.Collectors.counting())).values().stream()
                .mapToLong(Long::longValue).max().orElse(0) / (double) test.size();
    }

    private static double disagreement(AdapterScorer a, AdapterScorer b, List<CleanExample> canary) {
        List<String> texts = canary.stream().map(CleanExample::getText).toList();
        List<Map<String, Double>> first = a.predict(texts);
        List<Map<String, Double>> second = b.predict(texts);
        long differing = 0;
        for (int i = 0; i < texts.size(); i++) {
            differing += argmax(first.get(i)).getKey().equals(argmax(second.get(i)).getKey()) ? 0 : 1;
        }
        return (double) differing / texts.size();
    }

    private static Map.Entry<String, Double> argmax(Map<String, Double> probabilities) {
        return probabilities.entrySet().stream().max(Map.Entry.comparingByValue())
                .orElseThrow(() -> new IllegalStateException("Scorer returned no probabilities"));
    }

    private static double accuracy(List<ScoredExample> examples) {
        return examples.stream().filter(ScoredExample::correct).count() / (double) examples.size();
    }
}
