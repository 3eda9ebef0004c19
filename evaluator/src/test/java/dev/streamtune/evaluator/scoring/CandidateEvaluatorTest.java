package dev.streamtune.evaluator.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.streamtune.evaluator.metrics.SliceScorer;
import dev.streamtune.evaluator.sets.EvaluationSets;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.EvaluationReport;
import dev.streamtune.schema.ExampleOrigin;
import dev.streamtune.schema.LabelScope;
import dev.streamtune.schema.Split;
import org.junit.jupiter.api.Test;

class CandidateEvaluatorTest {

    /** Says "pos" when the text contains the keyword; a stand-in for a model whose answers we can predict. */
    static class KeywordScorer implements AdapterScorer {
        private final String keyword;

        KeywordScorer(String keyword) {
            this.keyword = keyword;
        }

        @Override
        public List<Map<String, Double>> predict(List<String> texts) {
            return texts.stream().map(t -> t.contains(keyword) ? Map.of("pos", 0.9, "neg", 0.1)
                    : Map.of("pos", 0.2, "neg", 0.8)).toList();
        }

        @Override
        public List<String> labels() {
            return List.of("neg", "pos");
        }

        @Override
        public void close() {
        }
    }

    private static final LearnedLabels BOTH = new LearnedLabels(Set.of("neg", "pos"), LearnedLabels.Source.ADAPTER);

    private final EvaluationSets sets = new EvaluationSets(100, 4, 10);

    CandidateEvaluatorTest() {
        // window 0: old skill ("good" means pos); window 1: new skill ("great" means pos)
        add("w0", "good food", "pos");
        add("w0", "good staff", "pos");
        add("w0", "bad food", "neg");
        add("w0", "bad staff", "neg");
        add("w1", "great view", "pos");
        add("w1", "great room", "pos");
        add("w1", "dull view", "neg");
        add("w1", "dull room", "neg");
    }

    @Test
    void aCandidateThatLearnedTheNewSkillButForgotTheOldOneShowsNegativeBackwardTransfer() {
        CandidateEvaluator evaluator = new CandidateEvaluator(sets, new SliceScorer("pos", 1));
        EvaluationReport report = evaluator.evaluate(candidate(List.of("w1")), new KeywordScorer("great"), BOTH,
                "champ", new KeywordScorer("good"), BOTH, Instant.EPOCH);

        assertEquals(1.0, report.getCandidate().getTest().getAccuracy(), 1e-9, "new window: all right");
        assertEquals(0.5, report.getChampion().getTest().getAccuracy(), 1e-9);
        assertEquals(0.5, report.getCandidate().getRetention().getAccuracy(), 1e-9, "old window: half wrong");
        assertEquals(1.0, report.getChampion().getRetention().getAccuracy(), 1e-9);
        assertEquals(-0.5, report.getBackwardTransfer(), 1e-9);
        // canary = the first 4 test examples (window 0): candidate says neg for both "good" texts, champion pos
        assertEquals(0.5, report.getCanaryDisagreement(), 1e-9);
        assertEquals("w1", report.getWindowId());
    }

    @Test
    void aFirstAdapterIsScoredAloneWithoutComparisons() {
        CandidateEvaluator evaluator = new CandidateEvaluator(sets, new SliceScorer("pos", 1));
        EvaluationReport report = evaluator.evaluate(candidate(List.of("w1")), new KeywordScorer("great"), BOTH, null,
                null, null, Instant.EPOCH);
        assertNull(report.getLabelScope());
        assertNull(report.getChampion());
        assertNull(report.getBackwardTransfer());
        assertNull(report.getCanaryDisagreement());
        assertEquals(4, report.getCandidate().getTest().getExamples());
        // all right, at confidence 0.9 (two) and 0.8 (two): ECE = 0.5 * 0.1 + 0.5 * 0.2
        assertEquals(0.15, report.getCandidate().getTest().getExpectedCalibrationError(), 1e-9);
    }

    @Test
    void examplesOfLabelsOnlyTheCandidateLearnedAreScoredForTheCandidateAlone() {
        // w2 brings a label the champion was never trained on; the champion answers "pos"/"neg" there, always wrong.
        add("w2", "meh view", "mixed");
        add("w2", "meh room", "mixed");
        CandidateEvaluator evaluator = new CandidateEvaluator(sets, new SliceScorer("pos", 1));
        LearnedLabels three = new LearnedLabels(Set.of("neg", "pos", "mixed"), LearnedLabels.Source.ADAPTER);
        AdapterScorer learnedMixed = new KeywordScorer("great") {
            @Override
            public List<Map<String, Double>> predict(List<String> texts) {
                return texts.stream().map(t -> t.startsWith("meh") ? Map.of("mixed", 0.6, "pos", 0.2, "neg", 0.2)
                        : super.predict(List.of(t)).get(0)).toList();
            }
        };

        EvaluationReport report = evaluator.evaluate(candidate(List.of("w1", "w2")), learnedMixed, three, "champ",
                new KeywordScorer("great"), BOTH, Instant.EPOCH);

        LabelScope scope = report.getLabelScope();
        assertEquals(List.of("mixed"), scope.getNewLabels());
        assertEquals(2, scope.getNewLabelMetrics().getExamples());
        assertEquals(1.0, scope.getNewLabelMetrics().getAccuracy(), 1e-9);
        assertEquals(4, scope.getSharedCandidate().getTest().getExamples(), "w1's pos/neg examples only");
        assertEquals(scope.getSharedCandidate().getTest(), scope.getSharedChampion().getTest(), "same answers there");
        assertEquals(6, report.getChampion().getTest().getExamples(), "the full window is still reported");
        assertEquals(4.0 / 6, report.getChampion().getTest().getAccuracy(), 1e-9);
        assertEquals(2.0 / 6, scope.getMajorityBaseline(), 1e-9, "pos, neg and mixed: two each");
        assertEquals(List.of(), scope.getUnjudgedLabels());
    }

    @Test
    void examplesOfLabelsNeitherModelLearnedAreLeftOutAndListed() {
        add("w2", "meh view", "mixed");
        CandidateEvaluator evaluator = new CandidateEvaluator(sets, new SliceScorer("pos", 1));
        EvaluationReport report = evaluator.evaluate(candidate(List.of("w1", "w2")), new KeywordScorer("great"), BOTH,
                "champ", new KeywordScorer("good"), BOTH, Instant.EPOCH);
        assertEquals(List.of("mixed"), report.getLabelScope().getUnjudgedLabels());
        assertNull(report.getLabelScope().getNewLabelMetrics());
        assertEquals(4, report.getLabelScope().getSharedCandidate().getTest().getExamples());
    }

    @Test
    void backwardTransferAndCanaryCountOnlyLabelsTheChampionLearned() {
        CandidateEvaluator evaluator = new CandidateEvaluator(sets, new SliceScorer("pos", 1));
        LearnedLabels onlyPos = new LearnedLabels(Set.of("pos"), LearnedLabels.Source.ADAPTER);
        EvaluationReport report = evaluator.evaluate(candidate(List.of("w1")), new KeywordScorer("great"), BOTH,
                "champ", new KeywordScorer("good"), onlyPos, Instant.EPOCH);
        // Retention and canary: w0; of it only the two "good ..." (pos) texts, which the candidate gets wrong.
        assertEquals(-1.0, report.getBackwardTransfer(), 1e-9);
        assertEquals(1.0, report.getCanaryDisagreement(), 1e-9);
        assertEquals(List.of("neg"), report.getLabelScope().getNewLabels());
    }

    @Test
    void aChampionsAnswersAreComputedOnceAcrossTheCandidatesItFaces() {
        AnswerMemo memo = new AnswerMemo(4, 1000);
        AnswerMemoTest.CountingScorer champion = new AnswerMemoTest.CountingScorer();
        CandidateEvaluator evaluator = new CandidateEvaluator(sets, new SliceScorer("pos", 1), memo);

        EvaluationReport first = evaluator.evaluate(candidate("cand-1", List.of("w1")), new KeywordScorer("great"),
                BOTH, "champ", champion, BOTH, Instant.EPOCH);
        int askedOnce = champion.asked.size();
        EvaluationReport second = evaluator.evaluate(candidate("cand-2", List.of("w1")), new KeywordScorer("great"),
                BOTH, "champ", champion, BOTH, Instant.EPOCH);

        assertEquals(8, askedOnce, "w1's test, w0's retention (the canary among them): each text once");
        assertEquals(askedOnce, champion.asked.size(), "the second candidate reused the champion's answers");
        assertEquals(first.getChampion(), second.getChampion());
        assertEquals(first.getCanaryDisagreement(), second.getCanaryDisagreement());
    }

    private void add(String window, String text, String label) {
        sets.add(CleanExample.newBuilder().setId(text).setTask("t").setText(text).setLabel(label).setSource("s")
                .setOrigin(ExampleOrigin.LABELLED).setEventTime(Instant.EPOCH).setAttributes(Map.of("locale", "en"))
                .setWeight(1.0).setSplit(Split.TEST).setContentHash(text).setWindowId(window).build());
    }

    private static AdapterCandidate candidate(List<String> windows) {
        return candidate("cand", windows);
    }

    private static AdapterCandidate candidate(String id, List<String> windows) {
        return AdapterCandidate.newBuilder().setCandidateId(id).setTask("t").setBaseModelId("base")
                .setBaseModelChecksum("x").setWindowIds(windows).setArtifactUri("file:///x").setArtifactSha256("y")
                .setCreatedAt(Instant.EPOCH).setHyperparameters(Map.of()).setValidationMetrics(Map.of()).build();
    }
}
