package dev.streamtune.evaluator.scoring;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.streamtune.evaluator.metrics.ClassificationScorer;
import dev.streamtune.evaluator.metrics.ScoredExample;
import dev.streamtune.evaluator.metrics.SliceScorer;
import dev.streamtune.evaluator.sets.EvaluationSets;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.EvaluationReport;
import dev.streamtune.schema.ModelScores;

/** Runs a candidate, and the champion if there is one, over the evaluation sets and assembles the report. */
public final class CandidateEvaluator {

    private final EvaluationSets sets;
    private final SliceScorer sliceScorer;

    public CandidateEvaluator(EvaluationSets sets, SliceScorer sliceScorer) {
        this.sets = sets;
        this.sliceScorer = sliceScorer;
    }

    /**
     * @param champion   the deployed adapter's scorer, or null for a task's first adapter
     * @param championId the deployed adapter's id, or null
     */
    public EvaluationReport evaluate(AdapterCandidate candidate, AdapterScorer challenger, String championId,
                                     AdapterScorer champion, Instant now) {
        String task = candidate.getTask();
        List<String> windows = candidate.getWindowIds();
        List<CleanExample> test = sets.test(task, windows);
        List<CleanExample> retention = sets.retention(task, windows);
        List<CleanExample> canary = sets.canary(task);

        List<ScoredExample> challengerRetention = score(challenger, retention);
        EvaluationReport.Builder report = EvaluationReport.newBuilder()
                .setCandidateId(candidate.getCandidateId())
                .setTask(task)
                .setWindowId(windows.isEmpty() ? "" : windows.get(windows.size() - 1))
                .setEvaluatedAt(now)
                .setCandidate(modelScores(score(challenger, test), challengerRetention));
        if (champion == null) {
            return report.build();
        }
        List<ScoredExample> championRetention = score(champion, retention);
        report.setChampionId(championId)
                .setChampion(modelScores(score(champion, test), championRetention));
        if (!retention.isEmpty()) {
            report.setBackwardTransfer(accuracy(challengerRetention) - accuracy(championRetention));
        }
        if (!canary.isEmpty()) {
            report.setCanaryDisagreement(disagreement(challenger, champion, canary));
        }
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
