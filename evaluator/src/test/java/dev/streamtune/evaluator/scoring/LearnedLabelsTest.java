package dev.streamtune.evaluator.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

class LearnedLabelsTest {

    /** A head over four labels whose file may or may not record what it learned. */
    private record Head(Optional<List<String>> learnedLabels) implements AdapterScorer {
        @Override
        public List<Map<String, Double>> predict(List<String> texts) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> labels() {
            return List.of("a", "b", "c", "d");
        }

        @Override
        public void close() {
        }
    }

    @Test
    void whatTheAdapterFileRecordsWins() {
        LearnedLabels learned = LearnedLabels.of(new Head(Optional.of(List.of("a", "b"))), Set.of("a", "b", "c"));
        assertEquals(new LearnedLabels(Set.of("a", "b"), LearnedLabels.Source.ADAPTER), learned);
    }

    @Test
    void anOlderFileFallsBackToTheLabelsOfItsWindowsThatItsHeadHas() {
        LearnedLabels learned = LearnedLabels.of(new Head(Optional.empty()), Set.of("a", "c", "retired"));
        assertEquals(new LearnedLabels(Set.of("a", "c"), LearnedLabels.Source.WINDOWS), learned);
    }

    @Test
    void withoutWindowsEveryLabelOfTheHeadCountsAsLearned() {
        LearnedLabels learned = LearnedLabels.of(new Head(Optional.empty()), Set.of());
        assertEquals(new LearnedLabels(Set.of("a", "b", "c", "d"), LearnedLabels.Source.HEAD), learned);
        assertEquals("head", learned.source().label());
    }
}
