package dev.streamtune.evaluator.scoring;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * Runs a candidate, and the champion if there is one, over the evaluation sets and assembles the report. Answers
 * come through an {@link AnswerMemo}: each adapter answers each example once, so a champion's answers computed for
 * an earlier candidate are reused.
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
    private final AnswerMemo memo;

    /** Remembers nothing beyond one evaluation (each adapter still answers each example once). */
    public CandidateEvaluator(EvaluationSets sets, SliceScorer sliceScorer) {
        this(sets, sliceScorer, new AnswerMemo(2, Integer.MAX_VALUE));
    }

    /** @param memo answers kept across evaluations: the champion's are reused, not computed again */
    public CandidateEvaluator(EvaluationSets sets, SliceScorer sliceScorer, AnswerMemo memo) {
        this.sets = sets;
        this.sliceScorer = sliceScorer;
        this.memo = memo;
    }

    /**
     * @param challenger        the candidate's scorer (its answers are remembered under the candidate's id)
     * @param challengerLearned labels the candidate was trained on
     * @param championId        the deployed adapter's id (its answers are remembered under it), or null for a
     *                          task's first adapter
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

        String challengerId = candidate.getCandidateId();
        List<ScoredExample> challengerTest = score(challengerId, challenger, test);
        List<ScoredExample> challengerRetention = score(challengerId, challenger, retention);
        EvaluationReport.Builder report = EvaluationReport.newBuilder()
                .setCandidateId(candidate.getCandidateId())
                .setTask(task)
                .setWindowId(windows.isEmpty() ? "" : windows.get(windows.size() - 1))
                .setEvaluatedAt(now)
                .setCandidate(modelScores(challengerTest, challengerRetention));
        if (champion == null) {
            return report.build();
        }
        List<ScoredExample> championTest = score(championId, champion, test);
        List<ScoredExample> championRetention = score(championId, champion, retention);
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
            report.setCanaryDisagreement(disagreement(memo.answers(challengerId, challenger, sharedCanary),
                    memo.answers(championId, champion, sharedCanary)));
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

    /**
     * What serving's approximate engine costs the candidate on its test split, when {@code challenger} is such an
     * engine ({@link AdapterScorer#exact()} present); empty for an exact engine or an empty test split. The exact
     * answers are remembered under {@code <candidate id>/exact}.
     */
    public Optional<QuantisationCost> quantisationCost(AdapterCandidate candidate, AdapterScorer challenger,
                                                       String engine) {
        Optional<AdapterScorer> exact = challenger.exact();
        List<CleanExample> test = sets.test(candidate.getTask(), candidate.getWindowIds());
        if (exact.isEmpty() || test.isEmpty()) {
            return Optional.empty();
        }
        double served = accuracy(score(candidate.getCandidateId(), challenger, test));
        double trained = accuracy(score(candidate.getCandidateId() + "/exact", exact.get(), test));
        return Optional.of(new QuantisationCost(engine, served, trained, test.size()));
    }

    private ModelScores modelScores(List<ScoredExample> test, List<ScoredExample> retention) {
        return ModelScores.newBuilder()
                .setTest(ClassificationScorer.score(test))
                .setRetention(retention.isEmpty() ? null : ClassificationScorer.score(retention))
                .setSlices(sliceScorer.slices(test))
                .setBias(sliceScorer.bias(test))
                .build();
    }

    private List<ScoredExample> score(String adapterId, AdapterScorer scorer, List<CleanExample> examples) {
        if (examples.isEmpty()) {
            return List.of();
        }
        List<AnswerMemo.Answer> answers = memo.answers(adapterId, scorer, examples);
        List<ScoredExample> scored = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            CleanExample example = examples.get(i);
            scored.add(new ScoredExample(example.getLabel(), answers.get(i).label(), answers.get(i).probability(),
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

    private static double disagreement(List<AnswerMemo.Answer> first, List<AnswerMemo.Answer> second) {
        long differing = 0;
        for (int i = 0; i < first.size(); i++) {
            differing += first.get(i).label().equals(second.get(i).label()) ? 0 : 1;
        }
        return (double) differing / first.size();
    }

    private static double accuracy(List<ScoredExample> examples) {
        return examples.stream().filter(ScoredExample::correct).count() / (double) examples.size();
    }
}
